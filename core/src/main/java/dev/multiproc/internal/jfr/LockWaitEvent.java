package dev.multiproc.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/**
 * A thread taking a {@code SharedLock}: {@code lock}, {@code lockInterruptibly} or {@code tryLock}, from the call
 * until it acquired the lock or gave up. A hub lock times every attempt, a transport's native lock (shm's) its waits
 * after a failed first attempt ({@link dev.multiproc.spi.LockWaits}); by default only those of 20 ms or more are
 * recorded, like the JDK's {@code jdk.JavaMonitorEnter}, so an uncontended lock costs a recording nothing.
 *
 * <p>Thread-safety: an event belongs to the calling thread.
 */
@Name("dev.multiproc.LockWait")
@Label("Lock Wait")
@Category("multiproc")
@Description("A thread waiting to acquire a SharedLock")
@Threshold("20 ms")
public final class LockWaitEvent extends Event {
    /** The lock, e.g. {@code SharedLock#3} or {@code reentrant SharedLock#4}. */
    @Label("Lock")
    public String lock;

    /** Whether the thread acquired it (false: {@code tryLock} timed out, or the wait was interrupted). */
    @Label("Acquired")
    public boolean acquired;

    /** No limit: {@code lock} and {@code lockInterruptibly} ({@code jfr print} shows it as N/A). */
    public static final long NO_TIMEOUT = Long.MIN_VALUE;

    /** How long the caller was willing to wait: {@code tryLock}'s timeout, or {@link #NO_TIMEOUT}. */
    @Label("Timeout")
    @Timespan
    public long timeout;
}
