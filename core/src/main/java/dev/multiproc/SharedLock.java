package dev.multiproc;

import java.io.Serializable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A mutual-exclusion lock shared between processes: Python's {@code Lock} or, when made by
 * {@link Context#reentrantLock()}, {@code RLock}. Owned by the thread that acquired it: only that thread (in that
 * process) may release it. Waiters are served first come, first served.
 *
 * <p>Crash-safe, unlike Python's: if the process that holds the lock dies, the lock is released and the next
 * waiter gets it (the release is logged as a warning, because the data the lock guarded may be half updated).
 *
 * <p>Use it with try-with-resources:
 * <pre>{@code
 * try (var held = lock.acquire()) {
 *     counter.set(counter.get() + 1);
 * }
 * }</pre>
 *
 * <p>A {@link Lock}: pass it wherever a {@code java.util.concurrent.locks.Lock} is expected, and the code that takes
 * it excludes every other process's holders as well as its own threads. Its condition, which waits across
 * processes, comes from the context: {@link Context#condition(SharedLock)} ({@link #newCondition()} throws
 * {@link UnsupportedOperationException}, because a lock that travelled to a child cannot create shared objects).
 *
 * <p>Serializable: pass it to a child, and there it is the same lock. Thread- and process-safe.
 */
public interface SharedLock extends Lock, Serializable {

    /**
     * Waits for the lock and takes it.
     *
     * @throws IllegalStateException if this thread already holds a non-reentrant lock (it would deadlock; the
     *         {@link Lock} contract lets an implementation report such misuse)
     */
    @Override
    void lock();

    /**
     * Waits for the lock and takes it, unless interrupted.
     *
     * @throws InterruptedException if interrupted while waiting; the lock is then not held
     */
    @Override
    void lockInterruptibly() throws InterruptedException;

    /**
     * Takes the lock if it is free (Python's {@code acquire(False)}).
     *
     * @return true if the lock is now held by this thread; false if another thread or process holds it, or this
     *         thread holds it and the lock is not reentrant
     */
    @Override
    boolean tryLock();

    /**
     * Waits at most the given time for the lock.
     *
     * @param timeout how long to wait
     * @param unit the unit of {@code timeout}
     * @return true if the lock is now held by this thread; false when the time is up (a non-reentrant lock this
     *         thread already holds is never free within it)
     * @throws InterruptedException if interrupted while waiting; the lock is then not held
     */
    @Override
    boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Releases the lock (once, for a reentrant lock held several times).
     *
     * @throws IllegalMonitorStateException if this thread does not hold the lock
     */
    @Override
    void unlock();

    /**
     * Not supported: a condition that waits across processes is a shared object of its own, made by the context.
     *
     * @return never
     * @throws UnsupportedOperationException always; use {@link Context#condition(SharedLock)} instead
     */
    @Override
    default Condition newCondition() {
        throw new UnsupportedOperationException("A SharedLock makes no Condition itself; create one that works"
                + " across processes with Context.condition(lock), in the process that owns the Context.");
    }

    /**
     * As {@link java.util.concurrent.locks.ReentrantLock#getHoldCount()}: how many times the calling thread holds
     * this lock. A {@link SharedCondition} uses it to release the lock fully while it waits, and to take it again
     * as many times.
     *
     * @return the calling thread's holds on this lock: 0 if it does not hold it, 1 for a non-reentrant lock it holds
     */
    int getHoldCount();

    /**
     * @return true if the calling thread (of this process) holds this lock
     */
    default boolean isHeldByCurrentThread() {
        return getHoldCount() > 0;
    }

    /**
     * @return true if some thread of some process holds the lock
     */
    boolean isLocked();

    /**
     * @return true if this lock is reentrant
     */
    boolean isReentrant();

    /**
     * Waits for the lock and returns a guard whose {@code close()} releases it: the {@code with lock:} of Python.
     *
     * @return the guard
     */
    default Guard acquire() {
        lock();
        return this::unlock;
    }

    /**
     * Releases the lock when closed. Returned by {@link #acquire()}.
     */
    @FunctionalInterface
    interface Guard extends AutoCloseable {
        /**
         * Releases the lock.
         */
        @Override
        void close();
    }
}
