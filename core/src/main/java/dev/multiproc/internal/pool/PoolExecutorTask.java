package dev.multiproc.internal.pool;

import dev.multiproc.CallableTask;
import dev.multiproc.TaskFailedException;
import dev.multiproc.WorkerCrashedException;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A task given to a pool's {@link PoolExecutorService}, and its future. What a worker receives is {@link #remote}:
 * the user's {@link CallableTask} itself, or a {@link CallableTask} that calls the user's {@code Callable} or runs the
 * user's {@code Runnable} (whose result, for {@code submit(Runnable, T)}, stays in this process). The future is
 * completed from the result of the pool job that carries it ({@link #complete}), on the thread that delivers that
 * result; a {@code FutureTask} gives it its states, its waiting and {@code cancel}'s race rules.
 *
 * <p>Failures reach {@code get()} as the JDK's executors deliver them: an {@link ExecutionException} whose cause is
 * the task's own exception, rebuilt with its remote stack trace, here with a message that names the worker. A task
 * given to {@code execute}, whose future nobody holds, logs its failure instead (at WARNING, on
 * {@code dev.multiproc.pool}), as a thread pool's worker thread prints an uncaught exception.
 *
 * <p>{@code run()} is {@code FutureTask}'s: it runs the task in the calling thread. The view never calls it; it is
 * there because a {@code RunnableFuture} has it (the futures returned by {@code shutdownNow} are cancelled, so
 * running them does nothing).
 *
 * <p>Thread-safe.
 *
 * @param <V> the result type
 */
final class PoolExecutorTask<V> extends FutureTask<V> {
    private static final System.Logger LOG = System.getLogger("dev.multiproc.pool");

    /** Calls a serializable {@code Callable} in a worker. */
    record RemoteCall(Callable<?> callable) implements CallableTask<Object> {
        private static final long serialVersionUID = 1L;

        @Override
        public Object call() throws Exception {
            return callable.call();
        }
    }

    /** Runs a serializable {@code Runnable} in a worker; its result is decided in the parent. */
    record RemoteRun(Runnable runnable) implements CallableTask<Object> {
        private static final long serialVersionUID = 1L;

        @Override
        public Object call() {
            runnable.run();
            return null;
        }
    }

    /** The view that sends this task; only it may send it. */
    final PoolExecutorService view;
    /** The {@code Callable} or {@code Runnable} the caller gave; it must be serializable to be sent. */
    final Object given;
    /** What runs in the worker. */
    final CallableTask<?> remote;
    /** What {@code shutdownNow} lists for this task: the {@code Runnable} given to {@code execute}, or this future. */
    final Runnable handle;
    /** For a {@code Runnable}: the result, which never travels. */
    private final boolean resultIsLocal;
    private final V localResult;
    /** Whether nobody holds this future, so that a failure must be logged to be seen. */
    private final boolean unobserved;
    /** Told once the future is done, if not null (invokeAny's queue). */
    private final Consumer<? super PoolExecutorTask<V>> whenDone;
    /** The pool job that carries this task, once sent; set once. */
    private final AtomicReference<EagerJob> job = new AtomicReference<>();
    /** The worker a failed task ran in, for the message of get()'s ExecutionException; written before the state. */
    private volatile String failedIn;

    /**
     * A task for {@code submit(Callable)}, {@code invokeAll} or {@code invokeAny}.
     *
     * @param whenDone told once the future is done, or null
     */
    PoolExecutorTask(PoolExecutorService view, Callable<V> callable, Consumer<? super PoolExecutorTask<V>> whenDone) {
        super(callable);
        this.view = view;
        this.given = callable;
        this.remote = callable instanceof CallableTask<?> task ? task : new RemoteCall(callable);
        this.handle = this;
        this.resultIsLocal = false;
        this.localResult = null;
        this.unobserved = false;
        this.whenDone = whenDone;
    }

    /**
     * A task for {@code submit(Runnable, result)} or, {@code unobserved}, for {@code execute(Runnable)}.
     *
     * @param unobserved true for {@code execute}: nobody holds this future
     */
    PoolExecutorTask(PoolExecutorService view, Runnable runnable, V result, boolean unobserved) {
        super(runnable, result);
        this.view = view;
        this.given = runnable;
        this.remote = new RemoteRun(runnable);
        this.handle = unobserved ? runnable : this;
        this.resultIsLocal = true;
        this.localResult = result;
        this.unobserved = unobserved;
        this.whenDone = null;
    }

    /**
     * Records the job that carries this task.
     *
     * @return false if the task was already sent
     */
    boolean sentAs(EagerJob sent) {
        return job.compareAndSet(null, sent);
    }

    /** @return the job that carries this task, or null if it was not sent */
    EagerJob job() {
        return job.get();
    }

    /**
     * Completes the future from its job's outcome: the result list of the one call, or the failure. A withdrawn
     * job's {@link CancellationException} cancels the future.
     */
    @SuppressWarnings("unchecked")
    void complete(List<Object> results, Throwable error) {
        if (error == null) {
            set(resultIsLocal ? localResult : (V) results.get(0));
            return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof CancellationException) {
            super.cancel(false);
            return;
        }
        String worker = null;
        if (cause instanceof TaskFailedException failed && failed.getCause() != null) {
            worker = failed.worker();
            cause = failed.getCause();
        }
        failedIn = worker;
        setException(cause);
        // A task stopped by shutdownNow or terminate is what the caller asked for, not worth a warning.
        if (unobserved && worker != null) {
            LOG.log(Level.WARNING, "Task " + describe(given) + ", given to execute() of the " + view + ", failed in "
                    + worker, cause);
        } else if (unobserved && cause instanceof WorkerCrashedException) {
            LOG.log(Level.WARNING, "Task " + describe(given) + ", given to execute() of the " + view + ", was lost"
                    + " with its worker", cause);
        }
    }

    /** @return {@code a lambda of com.example.Main} for a lambda, {@code a com.example.Job} for an object */
    static String describe(Object task) {
        String type = task.getClass().getName();
        int lambda = type.indexOf("$$Lambda");
        return lambda >= 0 ? "a lambda of " + type.substring(0, lambda) : "a " + type;
    }

    /**
     * Cancels the future. A task that no worker has received is withdrawn from the pool and never runs. One that a
     * worker has received is stopped if {@code mayInterruptIfRunning} (the worker's thread is interrupted, and the
     * worker killed and replaced if the task does not return within the pool's grace period); otherwise it runs on
     * and its result is discarded.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (!super.cancel(mayInterruptIfRunning)) {
            return false;
        }
        EagerJob sent = job.get();
        if (sent != null) {
            if (mayInterruptIfRunning) {
                view.stop(sent);
            } else {
                view.withdraw(sent);
            }
        }
        return true;
    }

    @Override
    public V get() throws InterruptedException, ExecutionException {
        try {
            return super.get();
        } catch (ExecutionException e) {
            throw located(e);
        }
    }

    @Override
    public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return super.get(timeout, unit);
        } catch (ExecutionException e) {
            throw located(e);
        }
    }

    private ExecutionException located(ExecutionException e) {
        String worker = failedIn;
        return worker == null ? e : new ExecutionException("Task failed in " + worker + ": " + e.getCause(),
                e.getCause());
    }

    @Override
    protected void done() {
        view.finished(this);
        if (whenDone != null) {
            whenDone.accept(this);
        }
    }
}
