package dev.multiproc.internal.pool;

import dev.multiproc.Progress;
import java.util.concurrent.CompletableFuture;

/**
 * The future of a pool call ({@code applyAsync}, {@code mapAsync}, {@code submit}). Unlike a plain
 * {@code CompletableFuture}, {@code cancel(true)} reaches the work: the call's chunks are withdrawn, and those that
 * workers hold are stopped (a running one is interrupted, and its worker killed and replaced if it does not return
 * within the pool's grace period); {@code cancel(false)} withdraws what no worker has received and lets running
 * chunks finish, their results discarded. Futures derived from it ({@code thenApply} and the like) are plain ones.
 *
 * @param <R> the result type
 */
final class PoolFuture<R> extends CompletableFuture<R> {
    private final PoolJob job;
    private final PoolScheduler scheduler;

    PoolFuture(PoolJob job, PoolScheduler scheduler) {
        this.job = job;
        this.scheduler = scheduler;
    }

    /**
     * @param pool a pool's scheduler
     * @return this call's progress, or null if it is not a call of that pool
     */
    Progress progressIn(PoolScheduler pool) {
        return pool == scheduler ? job.progress(scheduler.runningItems(job)) : null;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            scheduler.cancel(job, mayInterruptIfRunning);
        }
        return cancelled;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
