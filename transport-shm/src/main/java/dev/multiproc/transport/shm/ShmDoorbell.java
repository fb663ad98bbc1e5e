package dev.multiproc.transport.shm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The one kernel object of a shm channel: a Unix-domain socket between parent and child that a reader sleeps on
 * once its ring has been idle for a while, so that an idle context costs no CPU, and that a writer rings (one
 * byte) only when the reader has said it sleeps. Busy channels never touch it: records go through shared memory,
 * and readers that found work recently spin, yield or park briefly instead. The socket also tells each side when
 * the other process dies: the kernel closes it, and a sleeping reader wakes with end of stream.
 *
 * <p>Thread-safety: one thread waits ({@link #await()}), any thread rings.
 */
final class ShmDoorbell implements AutoCloseable {
    private static final ByteBuffer ONE = ByteBuffer.allocateDirect(1);

    private final SocketChannel socket;
    private final ByteBuffer drain = ByteBuffer.allocateDirect(64);
    private final ByteBuffer ring = ONE.duplicate();
    private final Object ringLock = new Object();

    ShmDoorbell(SocketChannel socket) {
        this.socket = socket;
    }

    /** Wakes the peer's sleeping reader. A broken socket is ignored: the reader then sees the end of stream. */
    void ring() {
        synchronized (ringLock) {
            try {
                ring.clear();
                socket.write(ring);
            } catch (IOException e) {
                // the peer is gone or closing; its ring state says the rest
            }
        }
    }

    /**
     * Sleeps until the peer rings or goes away.
     *
     * @return false if the socket reached its end (the peer closed it or died)
     */
    boolean await() {
        drain.clear();
        try {
            return socket.read(drain) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }
}
