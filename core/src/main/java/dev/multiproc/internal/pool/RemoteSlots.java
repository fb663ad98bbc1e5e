package dev.multiproc.internal.pool;

import dev.multiproc.MultiprocException;
import dev.multiproc.internal.ContextImpl;
import dev.multiproc.internal.parent.ChildLink;
import dev.multiproc.spi.RemoteWorkers;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A pool's remote-worker slots: the pool's share of {@code Pool.Builder.remoteWorkers(n)}, filled by workers that
 * join from outside through the transport's {@link RemoteWorkers}. Each empty slot holds a claim
 * ({@link RemoteWorkers#next()}); the next remote worker that connects takes it and becomes one of the scheduler's
 * workers. While its claim is pending a slot is here, not among the scheduler's workers. At build, the pool waits
 * here until every slot has a ready worker.
 *
 * <p>Locking: {@code claims} and the count of ready remote workers are guarded by the {@link PoolScheduler}'s
 * lock, the same monitor that guards the pool's scheduling state; waiting for remote workers waits on it, and
 * whoever changes the count or stops the pool notifies it. Methods that say so are called with that lock held.
 */
final class RemoteSlots {
    private static final System.Logger LOG = System.getLogger("dev.multiproc.pool");
    /** How long {@link #awaitReady()} waits before it says, once, what it is waiting for. */
    private static final long REMOTE_WAIT_NOTICE_MILLIS = 10_000;

    private final ContextImpl context;
    private final PoolSpec spec;
    private final PoolScheduler scheduler;
    /** The scheduler's lock. */
    private final Object lock;
    /** Remote slots waiting for a remote worker to connect, with their claims. */
    private final Map<PoolWorker, CompletableFuture<RemoteWorkers.Joined>> claims = new LinkedHashMap<>();
    /** Remote workers that are ready and still connected. */
    private int ready;
    /** The transport's remote workers; set by {@link #open()}, before any slot is claimed. */
    private RemoteWorkers remoteWorkers;

    RemoteSlots(ContextImpl context, PoolSpec spec, PoolScheduler scheduler, Object lock) {
        this.context = context;
        this.spec = spec;
        this.scheduler = scheduler;
        this.lock = lock;
    }

    /**
     * Takes the transport's remote workers.
     *
     * @throws MultiprocException if the transport cannot take remote workers (the pool is then broken)
     */
    void open() {
        String refusal;
        try {
            remoteWorkers = context.parentTransport().remoteWorkers().orElse(null);
            refusal = "it has none (the socket transport does)";
        } catch (IllegalStateException e) {
            refusal = e.getMessage();
        }
        if (remoteWorkers == null) {
            MultiprocException refused = new MultiprocException("Pool " + spec.name() + " wants "
                    + spec.remoteWorkers() + " remote worker(s), but transport '" + context.transportName()
                    + "' cannot take them: " + refusal);
            scheduler.breakPool(refused);
            throw refused;
        }
    }

    /** Opens a remote slot: the next remote worker that connects takes it. */
    void claim() {
        PoolWorker worker = scheduler.newWorker(true);
        CompletableFuture<RemoteWorkers.Joined> claim = remoteWorkers.next();
        synchronized (lock) {
            if (scheduler.terminating()) {
                claim.cancel(false);
            } else {
                claims.put(worker, claim);
            }
        }
        claim.whenComplete((joined, error) -> {
            if (joined == null) {
                return; // withdrawn: the pool stopped
            }
            synchronized (lock) {
                if (claims.remove(worker) == null) {
                    joined.channel().close(); // the pool stopped while this worker was being handed over
                    return;
                }
                scheduler.addWorker(worker);
                ChildLink.attachRemote(context, joined, worker.name, worker);
            }
        });
    }

    /** Withdraws the claims of remote slots that are still empty (called under the lock). */
    void withdraw() {
        for (CompletableFuture<RemoteWorkers.Joined> claim : claims.values()) {
            claim.cancel(false);
        }
        claims.clear();
    }

    /** A remote worker became ready (called under the lock); wakes {@link #awaitReady()}. */
    void workerReady() {
        ready++;
        lock.notifyAll();
    }

    /** A remote worker that was ready is gone (called under the lock). */
    void workerLost() {
        ready--;
    }

    /**
     * Blocks until the pool's remote workers are ready, or fails the pool with a message that says what to do.
     *
     * @throws MultiprocException if they did not come within the start timeout, the pool stopped or broke while
     *         waiting, or the caller was interrupted (its interrupt status is then set again)
     */
    void awaitReady() {
        long start = System.nanoTime();
        long deadline = start + spec.startTimeout().toNanos();
        boolean noticed = false;
        boolean interrupted = false;
        String failure = null;
        synchronized (lock) {
            while (ready < spec.remoteWorkers() && !scheduler.terminating()) {
                long now = System.nanoTime();
                if (now >= deadline) {
                    failure = "Pool " + spec.name() + " waited " + spec.startTimeout().toMillis() + " ms for "
                            + spec.remoteWorkers() + " remote worker(s) and " + ready + " came. Start each"
                            + " remote worker with: " + remoteWorkers.howToStart() + " (or give them longer with"
                            + " Pool.Builder.startTimeout).";
                    break;
                }
                if (!noticed && now - start >= TimeUnit.MILLISECONDS.toNanos(REMOTE_WAIT_NOTICE_MILLIS)) {
                    noticed = true;
                    LOG.log(Level.INFO, "Pool " + spec.name() + " is waiting for " + (spec.remoteWorkers()
                            - ready) + " remote worker(s); start each with: " + remoteWorkers.howToStart());
                }
                long wait = noticed ? deadline - now
                        : Math.min(deadline - now, TimeUnit.MILLISECONDS.toNanos(REMOTE_WAIT_NOTICE_MILLIS));
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, Math.max(1, wait));
                } catch (InterruptedException e) {
                    interrupted = true;
                    failure = "Pool " + spec.name() + ": interrupted while waiting for remote workers";
                    break;
                }
            }
            if (failure == null && ready < spec.remoteWorkers()) {
                Throwable broken = scheduler.broken();
                failure = broken != null
                        ? "Pool " + spec.name() + " broke while waiting for remote workers: " + broken.getMessage()
                        : "Pool " + spec.name() + " was terminated while waiting for remote workers";
            }
        }
        if (failure != null) {
            MultiprocException error = new MultiprocException(failure);
            scheduler.breakPool(error);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            throw error;
        }
    }
}
