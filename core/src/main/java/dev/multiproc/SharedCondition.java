package dev.multiproc;

import java.io.Serializable;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.function.BooleanSupplier;

/**
 * A condition variable shared between processes: Python's {@code multiprocessing.Condition(lock)}, with the
 * contract of {@link Condition}. Made by {@link Context#condition(SharedLock)}, bound to that lock, or by
 * {@link Context#condition()} with a reentrant lock of its own (Python's default {@code RLock}).
 *
 * <p>The calling thread must hold the lock for every method but {@link #lock()}: {@code await} and {@code signal}
 * throw {@link IllegalMonitorStateException} otherwise. {@code await} releases the lock, all of this thread's holds
 * of it, waits for a signal, and takes the lock again, as many times, before it returns: also when its time runs out
 * and when it throws {@link InterruptedException}. Waiters are signalled first come, first served. There are no
 * spurious wake-ups, except as said below; still, wait in a loop on the state you need, or use
 * {@link #awaitUntil(BooleanSupplier)}, because another thread may have changed it before this one has the lock
 * again.
 *
 * <p><b>Crash-safe.</b> A waiter whose process dies is forgotten once the parent sees it gone, and a
 * {@link #signal()} that had been given to it (it died before it had the lock again) goes to the next waiter, so a
 * dead waiter never takes a wake-up from a live one. (Such a passed-on signal may reach a waiter that arrived after
 * the signal: a spurious wake-up, which the {@link Condition} contract allows.) The lock's own rule still holds: a
 * lock whose holder dies is released.
 *
 * <p>Serializable: pass it to a child, and there it is the same condition, bound to the same lock. Thread- and
 * process-safe; the waiters are kept by the parent process.
 */
public interface SharedCondition extends Condition, Serializable {
    /**
     * @return the lock this condition is bound to
     */
    SharedLock lock();

    /**
     * Releases the lock, waits until signalled, and takes the lock again (Python's {@code wait()}).
     *
     * @throws InterruptedException if interrupted, before or while waiting; the lock is held again all the same
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    @Override
    void await() throws InterruptedException;

    /**
     * Releases the lock, waits until signalled, and takes the lock again, ignoring interrupts (the thread's
     * interrupt flag is set on return if one came).
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    @Override
    void awaitUninterruptibly();

    /**
     * Releases the lock, waits at most the given time for a signal, and takes the lock again (Python's
     * {@code wait(timeout)}).
     *
     * @param timeout how long to wait
     * @param unit the unit of {@code timeout}
     * @return true if signalled, false if the time ran out; either way the lock is held again
     * @throws InterruptedException if interrupted, before or while waiting; the lock is held again all the same
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    @Override
    boolean await(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * As {@link #await(long, TimeUnit)}, in nanoseconds.
     *
     * @param nanosTimeout how long to wait
     * @return an estimate of the time left (positive if signalled in time; zero or less if the time ran out)
     * @throws InterruptedException if interrupted, before or while waiting; the lock is held again all the same
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    @Override
    long awaitNanos(long nanosTimeout) throws InterruptedException;

    /**
     * As {@link #await(long, TimeUnit)}, until a wall-clock time.
     *
     * @param deadline when to stop waiting
     * @return true if signalled, false if the deadline passed
     * @throws InterruptedException if interrupted, before or while waiting; the lock is held again all the same
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    @Override
    boolean awaitUntil(Date deadline) throws InterruptedException;

    /**
     * Waits until {@code predicate} is true (Python's {@code wait_for(predicate)}): evaluates it, and while it is
     * false, awaits a signal and evaluates it again. The predicate runs in this thread, with the lock held; it need
     * not be serializable.
     *
     * @param predicate the state to wait for, read under the lock
     * @throws InterruptedException if interrupted while waiting; the lock is held again all the same
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    void awaitUntil(BooleanSupplier predicate) throws InterruptedException;

    /**
     * Waits at most the given time in all until {@code predicate} is true (Python's
     * {@code wait_for(predicate, timeout)}): evaluates it, and while it is false and time is left, awaits a signal
     * and evaluates it again. The predicate runs in this thread, with the lock held.
     *
     * @param predicate the state to wait for, read under the lock
     * @param timeout how long to wait in all
     * @param unit the unit of {@code timeout}
     * @return the predicate's last value: false if the time ran out before it became true
     * @throws InterruptedException if interrupted while waiting; the lock is held again all the same
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    boolean awaitUntil(BooleanSupplier predicate, long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Wakes the longest-waiting waiter, if any (Python's {@code notify()}).
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    @Override
    void signal();

    /**
     * Wakes every waiter (Python's {@code notify_all()}).
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    @Override
    void signalAll();
}
