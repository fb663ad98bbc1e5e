package dev.multiproc;

import java.util.concurrent.TimeUnit;

/**
 * A {@link Queue} that counts unfinished elements: Python's {@code JoinableQueue}. Each {@code put} adds one;
 * each {@link #taskDone()} removes one; {@link #join()} waits until none is left.
 *
 * @param <E> the element type
 */
public interface JoinableQueue<E> extends Queue<E> {
    /**
     * Marks one element taken from the queue as processed.
     *
     * @throws IllegalStateException if called more times than elements were put
     */
    void taskDone();

    /**
     * Waits until every element put has been marked done.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void join() throws InterruptedException;

    /**
     * Waits at most the given time until every element put has been marked done.
     *
     * @param timeout how long to wait
     * @param unit the unit of {@code timeout}
     * @return true if every element is done, false if the time ran out
     * @throws InterruptedException if interrupted while waiting
     */
    boolean join(long timeout, TimeUnit unit) throws InterruptedException;
}
