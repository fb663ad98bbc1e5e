package dev.multiproc.internal.pool;

import dev.multiproc.Progress;
import java.util.concurrent.CompletableFuture;

/**
 * The future of a pool call ({@code applyAsync}, {@code mapAsync}, {@code submit}). Unlike a plain
 * {@code CompletableFuture}, {@code cancel(true)} reaches the work: the call's chunks are withdrawn, and those that
 * workers hold are stopped (a running one is interrupted, and its worker killed and replaced if it does not return
 * within the pool's grace period); {@code cancel(false)} withdraws what no worker has received and lets running
 * chunks finish, their results discarded. Completing it from outside stops its work as {@code cancel(true)} does:
 * {@code orTimeout(5, SECONDS)} is a deadline for the whole call. Futures derived from it ({@code thenApply} and the like) are plain ones.
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

    /** Completes this future with the job's outcome: the pool's own completion, which stops nothing. */
    void settle(R value, Throwable error) {
        if (error != null) {
            super.completeExceptionally(error);
        } else {
            super.complete(value);
        }
    }

    /**
     * Completes the call from outside ({@code completeOnTimeout}, or the caller's own code): its work is stopped as
     * by {@code cancel(true)}, since nobody will see its results.
     */
    @Override
    public boolean complete(R value) {
        return stopWorkIf(super.complete(value));
    }

    /**
     * Fails the call from outside ({@code orTimeout}, which gives a per-call deadline, or the caller's own code): its
     * work is stopped as by {@code cancel(true)}.
     */
    @Override
    public boolean completeExceptionally(Throwable ex) {
        return stopWorkIf(super.completeExceptionally(ex));
    }

    /** Stops the call's work if this future was just completed from outside; returns {@code completed}. */
    private boolean stopWorkIf(boolean completed) {
        if (completed) {
            scheduler.cancel(job, true);
        }
        return completed;
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
