package dev.multiproc.internal;

import java.io.ByteArrayOutputStream;
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
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);

    LineAtomicOutputStream(LineSink sink) {
        this.sink = sink;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        buffer.write(b);
        if (b == '\n' || buffer.size() >= PARTIAL_LIMIT) {
            drain(buffer.size());
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        buffer.write(bytes, offset, length);
        int end = lastNewline();
        if (buffer.size() >= PARTIAL_LIMIT) {
            end = buffer.size();
        }
        if (end > 0) {
            drain(end);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        int end = lastNewline();
        if (end > 0) {
            drain(end);
        }
    }

    /** Passes on everything buffered, including a last line without its newline. */
    synchronized void flushPartial() throws IOException {
        if (buffer.size() > 0) {
            drain(buffer.size());
        }
    }

    private int lastNewline() {
        byte[] bytes = buffer.toByteArray();
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i + 1;
            }
        }
        return 0;
    }

    private void drain(int end) throws IOException {
        byte[] bytes = buffer.toByteArray();
        buffer.reset();
        buffer.write(bytes, end, bytes.length - end);
        sink.write(bytes, end);
    }
}
