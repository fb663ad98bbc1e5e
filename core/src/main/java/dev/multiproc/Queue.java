package dev.multiproc;

import java.io.Serializable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A first-in, first-out queue shared between processes: Python's {@code multiprocessing.Queue}. Any number of
 * processes may put and get. Elements are serialized by the putting process and deserialized by the getting one.
 *
 * <p>Unlike Python's, an element is in the queue when {@code put} returns (there is no feeder thread), so a
 * process that has put elements can always exit and be joined, whether or not anyone has read them yet.
 *
 * <p>Serializable: pass it to a child, and there it is the same queue. Thread- and process-safe.
 *
 * @param <E> the element type
 */
public interface Queue<E> extends Serializable {
    /**
     * Adds an element, waiting for space if the queue is bounded and full.
     *
     * @param element the element; serializable, not null
     * @throws InterruptedException if interrupted while waiting for space
     * @throws ChannelClosedException if the queue is closed
     * @throws SerializationException if the element cannot be serialized (nothing is added)
     * @throws IllegalArgumentException if the encoded element is larger than the context's message limit
     *         ({@link Context.Builder#maxMessageSize(int)}; nothing is added)
     */
    void put(E element) throws InterruptedException;

    /**
     * Adds an element, waiting at most the given time for space: Python's {@code put(timeout=...)}.
     *
     * @param element the element; serializable, not null
     * @param timeout how long to wait
     * @param unit the unit of {@code timeout}
     * @throws TimeoutException if there was no space in time (Python's {@code Full}); nothing is added
     * @throws InterruptedException if interrupted while waiting
     */
    void put(E element, long timeout, TimeUnit unit) throws TimeoutException, InterruptedException;

    /**
     * Adds an element if there is space now.
     *
     * @param element the element; serializable, not null
     * @return true if added, false if the queue is full
     */
    boolean offer(E element);

    /**
     * Adds an element, waiting at most the given time for space.
     *
     * @param element the element; serializable, not null
     * @param timeout how long to wait
     * @param unit the unit of {@code timeout}
     * @return true if added, false if the time ran out
     * @throws InterruptedException if interrupted while waiting
     */
    boolean offer(E element, long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Removes and returns the head, waiting for one: Python's {@code get()}.
     *
     * @return the head
     * @throws InterruptedException if interrupted while waiting
     * @throws ChannelClosedException if the queue is closed and empty
     */
    E get() throws InterruptedException;

    /**
     * Removes and returns the head, waiting at most the given time: Python's {@code get(timeout=...)}.
     *
     * @param timeout how long to wait
     * @param unit the unit of {@code timeout}
     * @return the head
     * @throws TimeoutException if the queue stayed empty (Python's {@code Empty})
     * @throws InterruptedException if interrupted while waiting
     */
    E get(long timeout, TimeUnit unit) throws TimeoutException, InterruptedException;

    /**
     * @return the head, removed, or null if the queue is empty
     */
    E poll();

    /**
     * Removes and returns the head, waiting at most the given time.
     *
     * @param timeout how long to wait
     * @param unit the unit of {@code timeout}
     * @return the head, or null if the time ran out
     * @throws InterruptedException if interrupted while waiting
     */
    E poll(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * The number of elements in the queue now, as Python's {@code qsize()}: approximate while other processes put and
     * take. On some transports (shm) a put counts a moment before its element can be taken, so after {@code size()}
     * has counted an element, take it with {@link #get(long, TimeUnit)} rather than {@link #poll()}.
     *
     * @return the number of elements in the queue now
     */
    int size();

    /**
     * @return true if the queue holds no elements now
     */
    boolean isEmpty();

    /**
     * Closes the queue for every process: further puts fail with {@link ChannelClosedException}; gets return the
     * elements still queued and then fail the same way; waiters are woken.
     */
    void close();
}
