package dev.multiproc;

import java.io.Serializable;
import java.util.concurrent.TimeUnit;

/**
 * A counting semaphore shared between processes: Python's {@code Semaphore}. Permits are not owned: any thread of
 * any process may release them, and a process that dies holding some does not give them back (as in Python). In
 * the parent's hub waiters are served first come, first served; a transport's native semaphore (shm's) may not be
 * fair, as its locks are not.
 *
 * <p>Serializable: pass it to a child, and there it is the same semaphore. Thread- and process-safe.
 */
public interface SharedSemaphore extends Serializable {
    /**
     * Waits for a permit and takes it.
     *
     * @throws InterruptedException if interrupted while waiting; no permit is then taken
     */
    void acquire() throws InterruptedException;

    /**
     * Waits at most the given time for a permit.
     *
     * @param timeout how long to wait
     * @param unit the unit of {@code timeout}
     * @return true if a permit was taken
     * @throws InterruptedException if interrupted while waiting; no permit is then taken
     */
    boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * @return true if a permit was free and is now taken
     */
    boolean tryAcquire();

    /**
     * Returns a permit, waking one waiter if there is one.
     */
    void release();

    /**
     * @return the number of free permits
     */
    int availablePermits();
}
