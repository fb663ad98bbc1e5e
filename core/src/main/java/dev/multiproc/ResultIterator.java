package dev.multiproc;

import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The lazy results of {@link Pool#imap} and {@link Pool#imapUnordered}. {@code hasNext()} and {@code next()} block
 * until the next result is ready. Closing it before the end withdraws the items not yet started.
 *
 * <p>Meant for one consuming thread.
 *
 * @param <R> the result type
 */
public interface ResultIterator<R> extends Iterator<R>, AutoCloseable {

    /**
     * Waits at most the given time for the next result: Python's {@code next(timeout)}.
     *
     * @param timeout how long to wait
     * @param unit the unit of {@code timeout}
     * @return the next result
     * @throws TimeoutException if no result was ready in time (the iterator stays usable)
     * @throws java.util.NoSuchElementException if there are no more results
     * @throws TaskFailedException if the task for this position threw
     * @throws WorkerCrashedException if the worker running this position died
     * @throws InterruptedException if interrupted while waiting
     */
    R next(long timeout, TimeUnit unit) throws TimeoutException, InterruptedException;

    /**
     * How far this {@code imap} has got: its tasks done, failed and running, and, once its input has been read to
     * the end, their total and the estimated time left. May be called from any thread.
     *
     * @return a snapshot; its total is -1 while the input has not been read to its end
     */
    Progress progress();

    /**
     * Stops reading the input, withdraws the chunks not yet sent to a worker, and stops those that workers hold: a
     * running one is interrupted, and its worker killed and replaced if it has not returned within the pool's
     * {@linkplain Pool.Builder#interruptGrace(java.time.Duration) grace period}; a queued one never runs.
     */
    @Override
    void close();
}
