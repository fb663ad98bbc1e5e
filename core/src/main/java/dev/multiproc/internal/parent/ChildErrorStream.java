package dev.multiproc.internal.parent;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * A child's standard error, read by the parent: passed on to the parent's {@code System.err} a whole line at a time,
 * and its last few kilobytes kept, so that a child that dies before it is ready can be reported with what it said
 * (the JVM's "Could not find or load main class", a bad option, an exception in a static initializer).
 */
final class ChildErrorStream {
    /** How much of the end of a child's standard error a start failure reports. */
    static final int TAIL_BYTES = 4096;

    private final byte[] tail = new byte[TAIL_BYTES];
    private int tailLength;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    private ChildErrorStream() {
    }

    /**
     * Starts reading {@code stream} on a daemon thread until its end.
     *
     * @param stream the child's standard error
     * @param name the child's name, for the thread's
     * @return the reader
     */
    static ChildErrorStream start(InputStream stream, String name) {
        ChildErrorStream reader = new ChildErrorStream();
        Thread thread = new Thread(() -> reader.pump(stream), "multiproc-stderr-" + name);
        thread.setDaemon(true);
        thread.start();
        return reader;
    }

    private void pump(InputStream stream) {
        byte[] buffer = new byte[8192];
        int pending = 0;
        try (stream) {
            int read;
            while ((read = stream.read(buffer, pending, buffer.length - pending)) >= 0) {
                remember(buffer, pending, read);
                pending += read;
                int end = lastNewline(buffer, pending);
                if (end < 0 && pending == buffer.length) {
                    end = pending - 1; // a line longer than the buffer: pass on what there is
                }
                if (end >= 0) {
                    write(buffer, end + 1);
                    System.arraycopy(buffer, end + 1, buffer, 0, pending - end - 1);
                    pending -= end + 1;
                }
            }
        } catch (IOException e) {
            // the child is gone; what it wrote before is passed on below
        } finally {
            if (pending > 0) {
                write(buffer, pending);
            }
            finished.complete(null);
        }
    }

    private static int lastNewline(byte[] buffer, int length) {
        for (int i = length - 1; i >= 0; i--) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static void write(byte[] bytes, int length) {
        PrintStream err = System.err;
        // one write of whole lines: PrintStream.write(byte[], int, int) holds its lock for the whole call
        err.write(bytes, 0, length);
        err.flush();
    }

    private synchronized void remember(byte[] bytes, int offset, int length) {
        if (length >= TAIL_BYTES) {
            System.arraycopy(bytes, offset + length - TAIL_BYTES, tail, 0, TAIL_BYTES);
            tailLength = TAIL_BYTES;
            return;
        }
        int keep = Math.min(tailLength, TAIL_BYTES - length);
        System.arraycopy(tail, tailLength - keep, tail, 0, keep);
        System.arraycopy(bytes, offset, tail, keep, length);
        tailLength = keep + length;
    }

    /** @return completes when the child's standard error has ended (it and all its descendants closed it) */
    CompletableFuture<Void> finished() {
        return finished;
    }

    /** @return the last lines the child wrote to its standard error (at most {@value #TAIL_BYTES} bytes) */
    synchronized String tail() {
        String text = new String(tail, 0, tailLength, StandardCharsets.UTF_8);
        if (tailLength == TAIL_BYTES) {
            int firstLine = text.indexOf('\n');
            text = "..." + (firstLine >= 0 ? text.substring(firstLine) : text);
        }
        return text.strip();
    }
}
