package dev.multiproc.internal.child;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Buffers bytes and passes on only complete lines, each batch in a single write, so that lines printed by several
 * processes into one stream never interleave mid-line. A partial line is passed on when it grows past the buffer
 * limit or on {@link #flushPartial()}, which the child runtime calls before the process exits.
 *
 * <p>{@code flush()} deliberately passes on only complete lines: {@code PrintStream} flushes after every write.
 */
final class LineAtomicOutputStream extends OutputStream {
    /** Where complete lines go, one call per batch. */
    interface LineSink {
        void write(byte[] bytes, int length) throws IOException;
    }

    private static final int PARTIAL_LIMIT = 8192;

    private final LineSink sink;
    private byte[] buffer = new byte[256];
    private int size;
    /** End of the last complete line in {@code buffer} (just past its newline), or 0. */
    private int lineEnd;

    LineAtomicOutputStream(LineSink sink) {
        this.sink = sink;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        append(b);
        if (size >= PARTIAL_LIMIT) {
            drain(size);
        } else if (b == '\n') {
            drain(lineEnd);
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        for (int i = offset, end = offset + length; i < end; i++) {
            append(bytes[i]);
        }
        if (size >= PARTIAL_LIMIT) {
            drain(size);
        } else if (lineEnd > 0) {
            drain(lineEnd);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        if (lineEnd > 0) {
            drain(lineEnd);
        }
    }

    /** Passes on everything buffered, including a last line without its newline. */
    synchronized void flushPartial() throws IOException {
        if (size > 0) {
            drain(size);
        }
    }

    private void append(int b) {
        if (size == buffer.length) {
            buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
        }
        buffer[size++] = (byte) b;
        if (b == '\n') {
            lineEnd = size;
        }
    }

    /** Passes on the first {@code end} bytes in one write and keeps the rest. */
    private void drain(int end) throws IOException {
        byte[] out = java.util.Arrays.copyOf(buffer, end);
        System.arraycopy(buffer, end, buffer, 0, size - end);
        size -= end;
        lineEnd = 0;
        for (int i = size - 1; i >= 0; i--) {
            if (buffer[i] == '\n') {
                lineEnd = i + 1;
                break;
            }
        }
        sink.write(out, out.length);
    }
}
