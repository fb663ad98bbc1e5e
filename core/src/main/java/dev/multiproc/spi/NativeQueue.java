package dev.multiproc.spi;

import java.io.Serializable;
import java.util.concurrent.TimeUnit;

/**
 * A first-in, first-out queue of byte messages that a transport implements on its own medium (see
 * {@link NativePrimitives#queue(int)}); core does the encoding and gives users a {@link dev.multiproc.Queue}.
 *
 * <p>Any number of threads in any number of processes of the context may offer and poll at once. An element is in
 * the queue when {@link #offer} returns true: it does not depend on the process that offered it staying alive. The
 * object is {@link Serializable}: deserialized in another process of the same context, it is the same queue.
 */
public interface NativeQueue extends Serializable {

    /**
     * Adds an element, waiting for space while a bounded queue is full.
     *
     * @param element the element's bytes (the queue keeps no reference to the array)
     * @param timeout how long to wait for space; 0 or less: do not wait
     * @param unit the unit of {@code timeout}
     * @return false if there was no space in time; nothing was added
     * @throws InterruptedException if interrupted while waiting
     * @throws dev.multiproc.ChannelClosedException if the queue is closed
     * @throws IllegalArgumentException if the element is larger than the transport carries
     */
    boolean offer(byte[] element, long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Removes the head, waiting for one.
     *
     * @param timeout how long to wait; 0 or less: do not wait
     * @param unit the unit of {@code timeout}
     * @return the head's bytes, or null if the queue stayed empty
     * @throws InterruptedException if interrupted while waiting
     * @throws dev.multiproc.ChannelClosedException if the queue is closed and empty
     */
    byte[] poll(long timeout, TimeUnit unit) throws InterruptedException;

    /** @return the number of elements in the queue now */
    int size();

    /** Closes the queue for every process: offers fail, polls drain what is left and then fail. Idempotent. */
    void close();
}
