package dev.multiproc.internal.pool;

import dev.multiproc.MultiprocException;
import dev.multiproc.Pool;
import dev.multiproc.SerializationException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link Pool#asExecutorService()}: the pool seen as an {@code ExecutorService}. Each task becomes one pool call (a
 * {@link PoolExecutorTask} carried by an {@link EagerJob}), queued behind the pool's other work; the view's life is
 * the pool's (see {@link Pool#asExecutorService()} for the behaviour users see, and why).
 *
 * <p>{@code submit} and {@code invokeAll} are {@link AbstractExecutorService}'s, over {@link #newTaskFor} and
 * {@link #execute}; {@code invokeAny} is this class's, because the JDK's wraps each task in a future of its own that
 * cannot travel to a worker.
 *
 * <p>Thread-safe: the pool's scheduler guards the pool's state; {@code pending} is a synchronized set.
 */
final class PoolExecutorService extends AbstractExecutorService {
    private final PoolImpl pool;
    private final PoolScheduler scheduler;
    /** Tasks sent and not done, in the order they were sent: what {@link #shutdownNow()} looks through. */
    private final Set<PoolExecutorTask<?>> pending = Collections.synchronizedSet(new LinkedHashSet<>());

    PoolExecutorService(PoolImpl pool, PoolScheduler scheduler) {
        this.pool = pool;
        this.scheduler = scheduler;
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return new PoolExecutorTask<>(this, callable, null);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return new PoolExecutorTask<>(this, runnable, value, false);
    }

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        send(command instanceof PoolExecutorTask<?> own && own.view == this
                ? own : new PoolExecutorTask<>(this, command, null, true));
    }

    private void send(PoolExecutorTask<?> task) {
        if (scheduler.isShutdown()) {
            throw shutDown(null);
        }
        if (!(task.given instanceof Serializable)) {
            throw new RejectedExecutionException(rejection(task.given, "is a "
                    + (task.given instanceof Callable<?> ? "Callable" : "Runnable") + " that is not Serializable."));
        }
        EagerJob job;
        try {
            job = pool.newCall(task.remote);
        } catch (SerializationException e) {
            // The path in e starts at the wrapper that calls the task; the user's own task is the better root.
            SerializationException culprit = e;
            try {
                pool.encodeTask(task.given);
            } catch (SerializationException direct) {
                culprit = direct;
            }
            String why = culprit.getCause() != null ? culprit.getCause().getMessage() : culprit.getMessage();
            throw new RejectedExecutionException(rejection(task.given, "cannot be sent to a worker.") + " " + why,
                    culprit);
        }
        if (!task.sentAs(job)) {
            throw new RejectedExecutionException("This task was already given to " + this + ": " + task);
        }
        // Listed before it is queued, so that a shutdownNow that sees it queued also sees it here.
        pending.add(task);
        job.future().whenComplete(task::complete);
        try {
            scheduler.enqueue(job);
        } catch (MultiprocException e) {
            pending.remove(task);
            throw shutDown(e);
        }
        if (task.isCancelled()) {
            // cancelled while being sent: its cancel found no job to withdraw
            withdraw(job);
        }
    }

    private RejectedExecutionException shutDown(MultiprocException cause) {
        return new RejectedExecutionException(this + " is shut down; it accepts no more tasks"
                + (cause == null ? "." : ": " + cause.getMessage()), cause);
    }

    private static String rejection(Object task, String problem) {
        return "Task rejected: " + PoolExecutorTask.describe(task) + " " + problem + " A pool's ExecutorService runs tasks in worker processes, so a task must be"
                + " serializable, and so must everything it captures. Declare it as a CallableTask (a CallableTask is"
                + " a Callable: executor.submit((CallableTask<T>) () -> ...)), or cast a lambda to"
                + " (Runnable & Serializable) or (Callable<T> & Serializable).";
    }

    /** Withdraws a cancelled task's job, if no worker has received it. */
    void withdraw(EagerJob job) {
        scheduler.withdraw(List.of(job));
    }

    /** Cancels a task's job and stops it if a worker has received it (cancel with interruption). */
    void stop(EagerJob job) {
        scheduler.cancel(job, true);
    }

    /** A task's future is done. */
    void finished(PoolExecutorTask<?> task) {
        pending.remove(task);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, false, 0);
        } catch (TimeoutException e) {
            throw new AssertionError("an untimed invokeAny timed out", e);
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return invokeAny(tasks, true, unit.toNanos(timeout));
    }

    private <T> T invokeAny(Collection<? extends Callable<T>> tasks, boolean timed, long nanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("invokeAny needs at least one task");
        }
        long deadline = System.nanoTime() + nanos;
        BlockingQueue<PoolExecutorTask<T>> done = new LinkedBlockingQueue<>();
        List<PoolExecutorTask<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> task : tasks) {
                PoolExecutorTask<T> future = new PoolExecutorTask<>(this, Objects.requireNonNull(task, "task"),
                        done::add);
                futures.add(future);
                send(future);
            }
            ExecutionException last = null;
            for (int left = futures.size(); left > 0; left--) {
                PoolExecutorTask<T> next = timed ? done.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)
                        : done.take();
                if (next == null) {
                    throw new TimeoutException("no task of invokeAny completed within " + nanos + " ns");
                }
                try {
                    return next.get();
                } catch (ExecutionException e) {
                    last = e;
                } catch (CancellationException e) {
                    last = new ExecutionException("a task of invokeAny was cancelled", e);
                }
            }
            throw last;
        } finally {
            for (PoolExecutorTask<T> future : futures) {
                future.cancel(true);
            }
        }
    }

    @Override
    public void shutdown() {
        pool.shutdown();
    }

    /**
     * Withdraws the tasks no worker has received, cancels their futures and returns them, then terminates the pool.
     */
    @Override
    public List<Runnable> shutdownNow() {
        scheduler.shutdown();
        List<PoolExecutorTask<?>> candidates;
        synchronized (pending) {
            candidates = new ArrayList<>(pending);
        }
        List<EagerJob> jobs = new ArrayList<>(candidates.size());
        for (PoolExecutorTask<?> task : candidates) {
            jobs.add(task.job());
        }
        Set<EagerJob> withdrawn = new HashSet<>(scheduler.withdraw(jobs));
        List<Runnable> notStarted = new ArrayList<>(withdrawn.size());
        for (PoolExecutorTask<?> task : candidates) {
            if (withdrawn.contains(task.job())) {
                notStarted.add(task.handle);
            }
        }
        pool.terminate();
        return notStarted;
    }

    @Override
    public boolean isShutdown() {
        return scheduler.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return pool.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return pool.awaitTermination(timeout, unit);
    }

    @Override
    public String toString() {
        return "ExecutorService of " + pool;
    }
}
