package dev.multiproc.internal.handle;

import dev.multiproc.Connection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link Connection#wait}: Python's {@code multiprocessing.connection.wait} over connections of different kinds.
 *
 * <p>Python puts every connection's file descriptor in one {@code select}. Here the kinds share nothing to select
 * on (a hub pipe's readiness is in the parent's heap, a shm pipe's in a ring of shared memory, a socket pipe end's
 * in another socket), so each connection is watched the cheapest way its kind allows, and all of them report to
 * one queue that the caller waits on:
 * <ul>
 * <li>a {@link Watchable} (the listener's and client's connections) calls back from its reader thread when
 * something arrives: no thread, no polling;</li>
 * <li>any other connection gets a helper thread (pooled) that waits in its {@code poll(timeout)}, which every
 * transport already implements without spinning (a parked call in the hub, the shm transport's back-off, a socket
 * end's monitor wait).</li>
 * </ul>
 * Once one is ready, the helpers still waiting are interrupted and each of their connections is checked with
 * {@code poll(0)}, so the answer holds every connection ready at that moment, as {@code select} does.
 */
public final class ConnectionWait {
    /** How long the sweep waits for an interrupted helper to leave its poll (it holds a shm pipe's receive lock). */
    private static final long HELPER_EXIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final AtomicInteger HELPER_NUMBER = new AtomicInteger();
    private static final ThreadPoolExecutor HELPERS = helpers();

    private ConnectionWait() {
    }

    private static ThreadPoolExecutor helpers() {
        // idle helpers end after 30 s: hosts that wait for an application's threads are not held up for long
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "multiproc-wait-" + HELPER_NUMBER.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * @param timeoutNanos how long to wait; 0 or less checks once; {@code Long.MAX_VALUE} waits forever
     * @see Connection#wait(Collection, long, TimeUnit)
     */
    public static <C extends Connection<?>> List<C> await(Collection<? extends C> connections, long timeoutNanos)
            throws InterruptedException {
        List<C> all = distinct(connections);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (all.isEmpty()) {
            return List.of();
        }
        if (timeoutNanos <= 0) {
            return checkNow(all);
        }
        long deadline = timeoutNanos >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
        LinkedBlockingQueue<Connection<?>> changed = new LinkedBlockingQueue<>();
        IdentityHashMap<Connection<?>, Runnable> watchers = new IdentityHashMap<>();
        IdentityHashMap<Connection<?>, Helper> helpers = new IdentityHashMap<>();
        try {
            boolean anyReady = false;
            for (C connection : all) {
                if (connection instanceof Watchable watchable) {
                    Runnable watcher = () -> changed.offer(connection);
                    watchable.watch(watcher); // before isReady: an arrival in between is not missed
                    watchers.put(connection, watcher);
                    anyReady |= watchable.isReady();
                }
            }
            if (!anyReady) {
                for (C connection : all) {
                    if (!(connection instanceof Watchable)) {
                        helpers.put(connection, new Helper(connection, deadline, changed));
                    }
                }
                awaitChange(changed, deadline);
            }
            return sweep(all, helpers);
        } finally {
            for (Map.Entry<Connection<?>, Runnable> entry : watchers.entrySet()) {
                ((Watchable) entry.getKey()).unwatch(entry.getValue());
            }
            for (Helper helper : helpers.values()) {
                helper.stop();
            }
        }
    }

    private static <C extends Connection<?>> List<C> distinct(Collection<? extends C> connections) {
        IdentityHashMap<Connection<?>, Boolean> seen = new IdentityHashMap<>();
        List<C> all = new ArrayList<>(connections.size());
        for (C connection : connections) {
            if (!connection.canReceive()) {
                throw new IllegalArgumentException(connection + " cannot receive (the sending end of a one-way"
                        + " pipe): there is nothing to wait for on it");
            }
            if (seen.put(connection, Boolean.TRUE) == null) {
                all.add(connection);
            }
        }
        return all;
    }

    private static void awaitChange(LinkedBlockingQueue<Connection<?>> changed, long deadline)
            throws InterruptedException {
        if (deadline == Long.MAX_VALUE) {
            changed.take();
        } else {
            changed.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
    }

    /** Which connections are ready now: the helpers' answers, and a check of those whose helper had none yet. */
    private static <C extends Connection<?>> List<C> sweep(List<C> all, IdentityHashMap<Connection<?>, Helper> helpers)
            throws InterruptedException {
        for (Helper helper : helpers.values()) {
            helper.stop();
        }
        List<C> ready = new ArrayList<>();
        for (C connection : all) {
            Helper helper = helpers.get(connection);
            boolean isReady;
            if (helper != null && helper.awaitExit() && helper.ready) {
                isReady = true;
            } else {
                isReady = readyNow(connection);
            }
            if (isReady) {
                ready.add(connection);
            }
        }
        return ready;
    }

    /** A pooled thread that waits in one connection's {@code poll} and reports when it is ready. */
    private static final class Helper implements Runnable {
        private final Connection<?> connection;
        private final long deadline;
        private final LinkedBlockingQueue<Connection<?>> changed;
        private final CountDownLatch exited = new CountDownLatch(1);
        /** Written before {@link #exited} counts down, read after it has. */
        private volatile boolean ready;
        /** Guarded by this: an interrupt reaches the pooled thread only while it polls for this helper. */
        private boolean stopped;
        private Thread polling;

        Helper(Connection<?> connection, long deadline, LinkedBlockingQueue<Connection<?>> changed) {
            this.connection = connection;
            this.deadline = deadline;
            this.changed = changed;
            HELPERS.execute(this);
        }

        @Override
        public void run() {
            synchronized (this) {
                if (stopped) {
                    exited.countDown();
                    return;
                }
                polling = Thread.currentThread();
            }
            try {
                long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                ready = left > 0 && connection.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                // the wait is over
            } catch (RuntimeException e) {
                ready = true; // a receive would not block either: it would throw the same
            } finally {
                synchronized (this) {
                    polling = null;
                    Thread.interrupted(); // an interrupt meant for this poll must not reach the thread's next job
                }
                exited.countDown();
            }
            if (ready) {
                changed.offer(connection);
            }
        }

        synchronized void stop() {
            stopped = true;
            if (polling != null) {
                polling.interrupt();
            }
        }

        /**
         * Waits a little for the helper to leave its connection's poll: a shm pipe's poll holds the end's receive
         * lock, and the check that follows would otherwise find it taken.
         *
         * @return true if the helper has left its poll
         */
        boolean awaitExit() throws InterruptedException {
            return exited.await(HELPER_EXIT_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    private static <C extends Connection<?>> List<C> checkNow(List<C> all) throws InterruptedException {
        List<C> ready = new ArrayList<>();
        for (C connection : all) {
            if (readyNow(connection)) {
                ready.add(connection);
            }
        }
        return ready;
    }

    private static boolean readyNow(Connection<?> connection) throws InterruptedException {
        if (connection instanceof Watchable watchable) {
            return watchable.isReady();
        }
        try {
            return connection.poll(0, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            return true;
        }
    }
}
