package dev.multiproc.spi;

import dev.multiproc.internal.jfr.EventGate;
import dev.multiproc.internal.jfr.LockWaitEvent;

/**
 * For a transport's native {@link dev.multiproc.SharedLock}: records a thread's wait for the lock as multiproc's JFR
 * event {@code dev.multiproc.LockWait}, as the hub's locks do, so that a recording shows lock waits whatever the
 * transport. Call {@link #begin()} when the thread starts to wait (after a failed first attempt), and
 * {@link #end(Object, String, boolean, long)} when it has the lock or gives up. Costs nothing while no recording
 * runs: {@code begin} then returns null and touches no event class.
 *
 * <pre>{@code
 * Object wait = LockWaits.begin();
 * boolean acquired = false;
 * try {
 *     acquired = spinThenPark(deadline);
 *     return acquired;
 * } finally {
 *     LockWaits.end(wait, toString(), acquired, timeoutNanos);
 * }
 * }</pre>
 */
public final class LockWaits {
    /** The timeout of a wait without one ({@code lock}, {@code lockInterruptibly}). */
    public static final long NO_TIMEOUT = -1;

    private LockWaits() {
    }

    /**
     * @return a token for {@link #end}, or null if no recording takes lock waits
     */
    public static Object begin() {
        return EventGate.beginLockWait();
    }

    /**
     * Ends a wait begun with {@link #begin()}, and records it if the recording wants it (by default, a wait of 20 ms
     * or more). Does nothing for a null token.
     *
     * @param token what {@code begin} returned
     * @param lock the lock, as its {@code toString} names it
     * @param acquired whether the thread got the lock (false: it timed out, or was interrupted)
     * @param timeoutNanos how long the caller was willing to wait, or {@link #NO_TIMEOUT}
     */
    public static void end(Object token, String lock, boolean acquired, long timeoutNanos) {
        if (!(token instanceof LockWaitEvent event)) {
            return;
        }
        event.end();
        if (event.shouldCommit()) {
            event.lock = lock;
            event.acquired = acquired;
            event.timeout = timeoutNanos < 0 ? LockWaitEvent.NO_TIMEOUT : timeoutNanos;
            event.commit();
        }
    }
}
