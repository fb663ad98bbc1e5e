package dev.multiproc.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * multiproc's one timer thread in a parent: child start and exit grace periods, task deadlines. Not the JDK's
 * {@code CompletableFuture.delayedExecutor}: its thread never ends, and hosts that wait for an application's threads
 * (exec:java, application servers) would wait for it; this one's thread ends 10 ms after the last pending timer. An
 * action must not block: it runs on the thread that runs every other timer.
 */
public final class Timers {
    private static final ScheduledThreadPoolExecutor TIMERS = timers();

    private Timers() {
    }

    private static ScheduledThreadPoolExecutor timers() {
        // no core thread: the one thread ends shortly after the last pending timer
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(0, runnable -> {
            Thread thread = new Thread(runnable, "multiproc-timers");
            thread.setDaemon(true);
            return thread;
        });
        timers.setRemoveOnCancelPolicy(true);
        return timers;
    }

    /**
     * Runs {@code action} after {@code nanos}.
     *
     * @param nanos the delay
     * @param action what to run; it must not block
     * @return the timer, to cancel it
     */
    public static ScheduledFuture<?> afterNanos(long nanos, Runnable action) {
        return TIMERS.schedule(action, nanos, TimeUnit.NANOSECONDS);
    }
}
