package dev.multiproc.spi;

import java.util.concurrent.TimeUnit;

/**
 * A {@link NativeQueue} that also counts unfinished elements, for a {@link dev.multiproc.JoinableQueue} (see
 * {@link NativePrimitives#joinableQueue()}): every element offered counts as unfinished until some process reports it
 * done, and {@link #join} waits until none is left. Core does the encoding and turns a refused {@link #taskDone()}
 * into the user's {@link IllegalStateException}, with the same message on every transport.
 *
 * <p>The count belongs to the queue, not to a process: an element offered in one process may be taken and reported
 * done in a second while a third joins. {@link #offer} must count the element <em>before</em> any consumer can take
 * it, so that a consumer's {@code taskDone()} never runs ahead of the offer's count (and is not refused, nor lets a
 * {@code join} return early). Closing the queue changes nothing in the count: {@code taskDone()} and {@code join} keep
 * working on a closed queue, as on core's hub. Thread- and process-safe; {@link java.io.Serializable} like every
 * native queue.
 */
public interface NativeJoinableQueue extends NativeQueue {

    /**
     * Marks one element as done: takes one from the count of unfinished elements, unless it is 0.
     *
     * @return true if the count went down; false, changing nothing, if no element was unfinished (core then throws
     *         the user's {@link IllegalStateException}: "taskDone() called too many times")
     */
    boolean taskDone();

    /**
     * Waits until no element is unfinished.
     *
     * @param timeout how long to wait; 0 or less: do not wait
     * @param unit the unit of {@code timeout}
     * @return true if none is unfinished, false if the time ran out first
     * @throws InterruptedException if interrupted while waiting
     */
    boolean join(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Waits, for as long as it takes, until no element is unfinished. The default calls {@link #join(long, TimeUnit)}
     * with {@link Long#MAX_VALUE} nanoseconds.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    default void join() throws InterruptedException {
        join(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }
}
