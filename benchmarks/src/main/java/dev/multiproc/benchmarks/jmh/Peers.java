package dev.multiproc.benchmarks.jmh;

import dev.multiproc.ChannelClosedException;
import dev.multiproc.ChildProcess;
import dev.multiproc.Connection;
import dev.multiproc.Queue;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedLock;
import java.util.concurrent.TimeUnit;

/**
 * What the peer processes of the benchmarks run, and the functions the pools apply. Static methods, so that the
 * lambdas that call them capture only the serializable handles they pass.
 */
final class Peers {
    /** A small message: 16 bytes, as in the raw media and the Python scripts. */
    static final int SMALL_BYTES = 16;
    /** A bulk message: 1 MiB. */
    static final int BULK_BYTES = 1 << 20;

    private Peers() {
    }

    /** The tiny task of the map benchmarks. */
    static Integer increment(Integer x) {
        return x + 1;
    }

    /** Sends back every object it receives, until the other end closes. */
    static void echoObjects(Connection<Object> connection) throws InterruptedException {
        try {
            while (true) {
                connection.send(connection.recv());
            }
        } catch (ChannelClosedException closed) {
            // the benchmark is over
        }
    }

    /**
     * Serves byte messages until the other end closes: a small one is sent back, a large one only counted, and an
     * empty one (the end of a batch) answered with a one-byte acknowledgement.
     */
    static void serveBytes(Connection<Object> connection) throws InterruptedException {
        byte[] ack = {1};
        try {
            while (true) {
                byte[] message = connection.recvBytes();
                if (message.length == 0) {
                    connection.sendBytes(ack);
                } else if (message.length <= SMALL_BYTES) {
                    connection.sendBytes(message);
                }
            }
        } catch (ChannelClosedException closed) {
            // the benchmark is over
        }
    }

    /** Takes items until the queue closes; after each empty item (end of a batch), puts an acknowledgement. */
    static void consume(Queue<byte[]> items, Queue<Integer> acks) throws InterruptedException {
        try {
            while (true) {
                if (items.get().length == 0) {
                    acks.put(1);
                }
            }
        } catch (ChannelClosedException closed) {
            // the benchmark is over
        }
    }

    /**
     * Waits for orders until the queue closes: n &gt; 0 means increment under the lock for n milliseconds, n &lt; 0
     * means {@code getAndAdd(1)} for -n milliseconds; each order is answered with the number of increments made.
     */
    static void increment(Queue<Integer> orders, Queue<Long> acks, SharedInt counter, SharedLock lock)
            throws InterruptedException {
        try {
            while (true) {
                int order = orders.get();
                long deadline = System.nanoTime() + Math.abs(order) * 1_000_000L;
                long done = 0;
                do {
                    // the clock is read once per 64 increments: it costs as much as an uncontended atomic add
                    for (int i = 0; i < 64; i++) {
                        if (order > 0) {
                            lock.lock();
                            try {
                                counter.set(counter.get() + 1);
                            } finally {
                                lock.unlock();
                            }
                        } else {
                            counter.getAndAdd(1);
                        }
                    }
                    done += 64;
                } while (System.nanoTime() < deadline);
                acks.put(done);
            }
        } catch (ChannelClosedException closed) {
            // the benchmark is over
        }
    }

    /** Waits for a peer that should be on its way out; kills it if it is not gone in 10 s. */
    static void reap(ChildProcess child) throws InterruptedException {
        if (!child.join(10, TimeUnit.SECONDS)) {
            child.kill();
            child.join(10, TimeUnit.SECONDS);
        }
    }
}
