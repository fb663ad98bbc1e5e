package dev.multiproc.tck.support;

import dev.multiproc.Multiproc;
import dev.multiproc.SharedBuffer;
import dev.multiproc.SharedLongArray;

/**
 * A program for {@code SharedBufferContract}, run as a JVM unrelated to the context that made a buffer: attaches the
 * buffer by the name in {@code args[0]}, reads the long at index 0 of its long view, stores it plus one at index 1,
 * and prints {@code ATTACHED <size>}; or, if it cannot attach, prints {@code REFUSED <exception>: <message>} and exits
 * with status 2.
 */
public final class BufferAttachMain {
    private BufferAttachMain() {
    }

    /**
     * Attaches and writes.
     *
     * @param args {@code args[0]}: the buffer's name
     */
    public static void main(String[] args) {
        SharedBuffer buffer;
        try {
            buffer = Multiproc.attachBuffer(args[0]);
        } catch (RuntimeException e) {
            System.out.println("REFUSED " + e.getClass().getName() + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        SharedLongArray longs = buffer.asLongArray();
        longs.set(1, longs.get(0) + 1);
        System.out.println("ATTACHED " + buffer.size());
    }
}
