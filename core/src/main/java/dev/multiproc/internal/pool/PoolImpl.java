package dev.multiproc.internal.pool;

import com.google.protobuf.ByteString;
import dev.multiproc.Args2;
import dev.multiproc.Args3;
import dev.multiproc.CallableTask;
import dev.multiproc.MultiprocException;
import dev.multiproc.Pool;
import dev.multiproc.PoolStats;
import dev.multiproc.Progress;
import dev.multiproc.ResultIterator;
import dev.multiproc.SerializationException;
import dev.multiproc.Task2;
import dev.multiproc.Task3;
import dev.multiproc.Task;
import dev.multiproc.internal.CallerFrames;
import dev.multiproc.internal.ContextImpl;
import dev.multiproc.internal.Protocol;
import dev.multiproc.internal.codec.Codec;
import dev.multiproc.internal.parent.ChildLaunch;
import dev.multiproc.internal.protocol.RunTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The {@link Pool} users hold: turns each call (map, imap, starmap, submit, apply) into a {@link PoolJob}, encoding
 * the task and its arguments in the caller's thread, hands it to the pool's {@link PoolScheduler}, and waits for or
 * returns its results. The scheduler runs the workers and the pool's life; {@link #shutdown()},
 * {@link #terminate()} and the waits for termination go to it. {@link #asExecutorService()} is one
 * {@link PoolExecutorService} per pool.
 *
 * <p>Thread-safe: this class holds no mutable state of its own; the scheduler's lock guards the pool's state.
 */
public final class PoolImpl implements Pool {
    private static final AtomicLong FUNCTION_IDS = new AtomicLong();
    /**
     * Completes the futures users see. Results arrive on transport threads; a user callback that blocks there
     * (a {@code thenApply} that calls {@code pool.map}) could stall the very channel its results need.
     */
    private static final Executor CALLBACKS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "multiproc-callbacks");
        thread.setDaemon(true);
        return thread;
    });

    private final PoolSpec spec;
    private final ChildLaunch launch;
    private final Codec codec;
    private final PoolScheduler scheduler;
    /** The arguments of a call: one null, encoded once. */
    private final ByteString callArguments;
    /** The pool's one ExecutorService view: one, so that shutdownNow sees every task given to it. */
    private final PoolExecutorService executorService;
    /** The context's message limit, which a task with one chunk of its arguments must fit. */
    private final int maxMessageSize;
    /** The task timeout of the calls made through this instance: the pool's, or a {@link #withTaskTimeout} view's. */
    private final Duration taskTimeout;

    public PoolImpl(ContextImpl context, PoolSpec spec) {
        this.spec = spec;
        this.launch = context.childLaunch();
        this.codec = context.codec();
        this.maxMessageSize = context.maxMessageSize();
        this.scheduler = new PoolScheduler(context, spec, codec);
        List<Object> placeholder = new ArrayList<>(1);
        placeholder.add(null);
        this.callArguments = encodeChunk(placeholder, 0);
        this.executorService = new PoolExecutorService(this, scheduler);
        this.taskTimeout = spec.taskTimeout();
    }

    /** A view of {@code pool}: the same pool, whose calls made through it have {@code taskTimeout}. */
    private PoolImpl(PoolImpl pool, Duration taskTimeout) {
        this.spec = pool.spec;
        this.launch = pool.launch;
        this.codec = pool.codec;
        this.maxMessageSize = pool.maxMessageSize;
        this.scheduler = pool.scheduler;
        this.callArguments = pool.callArguments;
        this.executorService = pool.executorService;
        this.taskTimeout = taskTimeout;
    }

    @Override
    public Pool withTaskTimeout(Duration taskTimeout) {
        if (taskTimeout != null && (taskTimeout.isZero() || taskTimeout.isNegative())) {
            throw new IllegalArgumentException("taskTimeout must be positive, or null for none: " + taskTimeout);
        }
        return new PoolImpl(this, taskTimeout);
    }

    /** @param action run once the pool has terminated: every worker gone */
    public void whenTerminated(Runnable action) {
        scheduler.terminated().whenComplete((done, failure) -> action.run());
    }

    /** Starts the workers; throws, with the pool stopped, if its remote workers cannot come. */
    public void start() {
        scheduler.start();
    }

    // ---- submission ----

    /**
     * @throws SerializationException if the task cannot be encoded; the message says so and names the culprit
     */
    ByteString encodeTask(Object task) {
        if (task == null) {
            throw new NullPointerException("task");
        }
        launch.checkReachable(task);
        try {
            return ByteString.copyFrom(codec.encode(task));
        } catch (SerializationException e) {
            throw new SerializationException("The task cannot be sent to a worker. " + e.getMessage(), e);
        }
    }

    private ByteString encodeChunk(List<?> arguments, int firstIndex) {
        try {
            return ByteString.copyFrom(codec.encode(arguments));
        } catch (SerializationException e) {
            for (int i = 0; i < arguments.size(); i++) {
                try {
                    codec.encode(arguments.get(i));
                } catch (SerializationException one) {
                    throw new SerializationException("Argument " + (firstIndex + i) + " cannot be sent to a worker. "
                            + one.getMessage(), one);
                }
            }
            throw e;
        }
    }

    private EagerJob submitEager(Object task, RunTask.Mode mode, List<?> items, int chunksize) {
        if (chunksize < 1) {
            throw new IllegalArgumentException("chunksize must be >= 1: " + chunksize);
        }
        ByteString function = encodeTask(task);
        List<ByteString> chunks = new ArrayList<>();
        int[] sizes = new int[(items.size() + chunksize - 1) / chunksize];
        for (int start = 0, c = 0; start < items.size(); start += chunksize, c++) {
            List<?> slice = new ArrayList<>(items.subList(start, Math.min(items.size(), start + chunksize)));
            sizes[c] = slice.size();
            ByteString chunk = encodeChunk(slice, start);
            Protocol.checkPayload((long) function.size() + chunk.size(), maxMessageSize, slice.size() == 1
                    ? "Argument " + start + ", with the task,"
                    : "Arguments " + start + " to " + (start + slice.size() - 1) + " (one chunk), with the task,");
            chunks.add(chunk);
        }
        EagerJob job = new EagerJob(FUNCTION_IDS.incrementAndGet(), function, mode, chunks, sizes);
        job.taskTimeout = taskTimeout;
        if (!chunks.isEmpty()) {
            scheduler.enqueue(job);
        } else {
            scheduler.ensureRunning();
        }
        return job;
    }

    /** @return the caller's future of {@code job}: its results as {@code result} makes them, cancellable into it */
    private <R> CompletableFuture<R> callerFuture(EagerJob job, Function<List<Object>, R> result) {
        PoolFuture<R> future = new PoolFuture<>(job, scheduler);
        job.future().whenCompleteAsync((results, error) -> {
            if (error != null) {
                future.settle(null, error);
            } else {
                future.settle(result.apply(results), null);
            }
        }, CALLBACKS);
        return future;
    }

    private int defaultChunksize(int items) {
        // Python's rule: about four chunks per worker.
        int chunksize = items / (spec.workers() * 4);
        if (items % (spec.workers() * 4) != 0) {
            chunksize++;
        }
        return Math.max(1, chunksize);
    }

    private static <T> List<T> toList(Iterable<? extends T> items) {
        if (items == null) {
            throw new NullPointerException("items");
        }
        List<T> list = items instanceof Collection<?> c ? new ArrayList<>(c.size()) : new ArrayList<>();
        for (T item : items) {
            list.add(item);
        }
        return list;
    }

    /** Waits for a blocking call's results; an interrupt cancels the call, stopping its running chunks. */
    @SuppressWarnings("unchecked")
    private <R> List<R> await(EagerJob job) {
        try {
            return (List<R>) job.future().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            scheduler.cancel(job, true);
            throw new CancellationException("interrupted while waiting for pool results");
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    private static RuntimeException unwrap(Throwable cause) {
        if (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof RuntimeException runtime ? CallerFrames.copy(runtime)
                : new MultiprocException(cause.toString(), cause);
    }

    @Override
    public int workers() {
        return spec.workers();
    }

    @Override
    public Progress progress(Future<?> call) {
        Progress progress = call instanceof PoolFuture<?> future ? future.progressIn(scheduler) : null;
        if (progress == null) {
            throw new IllegalArgumentException("Not the future of a call on pool " + spec.name() + ": " + call
                    + ". Pass the future its mapAsync, starmapAsync, applyAsync or submit returned (not one made"
                    + " from it with thenApply and the like); an imap's ResultIterator has its own progress().");
        }
        return progress;
    }

    @Override
    public PoolStats stats() {
        return scheduler.stats();
    }

    @Override
    public <T, R> List<R> map(Task<T, R> task, Iterable<? extends T> items) {
        List<T> list = toList(items);
        return await(submitEager(task, RunTask.Mode.APPLY, list, defaultChunksize(list.size())));
    }

    @Override
    public <T, R> List<R> map(Task<T, R> task, Iterable<? extends T> items, int chunksize) {
        return await(submitEager(task, RunTask.Mode.APPLY, toList(items), chunksize));
    }

    @Override
    public <T, R> CompletableFuture<List<R>> mapAsync(Task<T, R> task, Iterable<? extends T> items) {
        List<T> list = toList(items);
        return mapAsync(task, list, defaultChunksize(list.size()));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T, R> CompletableFuture<List<R>> mapAsync(Task<T, R> task, Iterable<? extends T> items, int chunksize) {
        return callerFuture(submitEager(task, RunTask.Mode.APPLY, toList(items), chunksize), list -> (List<R>) list);
    }

    @Override
    public <T, R> ResultIterator<R> imap(Task<T, R> task, Iterable<? extends T> items, int chunksize) {
        return lazy(task, items, chunksize, true);
    }

    @Override
    public <T, R> ResultIterator<R> imap(Task<T, R> task, Iterable<? extends T> items) {
        return lazy(task, items, 1, true);
    }

    @Override
    public <T, R> ResultIterator<R> imapUnordered(Task<T, R> task, Iterable<? extends T> items, int chunksize) {
        return lazy(task, items, chunksize, false);
    }

    private <R> ResultIterator<R> lazy(Object task, Iterable<?> items, int chunksize, boolean ordered) {
        if (chunksize < 1) {
            throw new IllegalArgumentException("chunksize must be >= 1: " + chunksize);
        }
        if (items == null) {
            throw new NullPointerException("items");
        }
        LazyJob<R> job = new LazyJob<>(FUNCTION_IDS.incrementAndGet(), encodeTask(task), items.iterator(),
                chunksize, Math.max(2, spec.workers() * 2), ordered, codec, scheduler::dispatch,
                scheduler::stopRunning, scheduler::runningItems);
        job.taskTimeout = taskTimeout;
        scheduler.enqueue(job);
        return job;
    }

    @Override
    public <A, B, R> List<R> starmap(Task2<A, B, R> task,
            Iterable<? extends Args2<? extends A, ? extends B>> argumentPairs) {
        List<Object> list = toList(argumentPairs);
        return await(submitEager(task, RunTask.Mode.STAR, list, defaultChunksize(list.size())));
    }

    @Override
    public <A, B, C, R> List<R> starmap3(Task3<A, B, C, R> task,
            Iterable<? extends Args3<? extends A, ? extends B, ? extends C>> argumentTriples) {
        List<Object> list = toList(argumentTriples);
        return await(submitEager(task, RunTask.Mode.STAR, list, defaultChunksize(list.size())));
    }

    /**
     * Encodes a call of {@code task}, not yet queued.
     *
     * @throws SerializationException if the task cannot be encoded
     */
    EagerJob newCall(CallableTask<?> task) {
        ByteString function = encodeTask(task);
        Protocol.checkPayload(function.size(), maxMessageSize, "The task");
        EagerJob call = new EagerJob(FUNCTION_IDS.incrementAndGet(), function, RunTask.Mode.CALL,
                List.of(callArguments), new int[] {1});
        call.taskTimeout = taskTimeout;
        return call;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> CompletableFuture<R> submit(CallableTask<R> task) {
        EagerJob job = newCall(task);
        scheduler.enqueue(job);
        return callerFuture(job, list -> (R) list.get(0));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T, R> CompletableFuture<R> applyAsync(Task<T, R> task, T argument) {
        List<Object> single = new ArrayList<>(1);
        single.add(argument);
        return callerFuture(submitEager(task, RunTask.Mode.APPLY, single, 1), list -> (R) list.get(0));
    }

    @Override
    public <T, R> R apply(Task<T, R> task, T argument) {
        CompletableFuture<R> future = applyAsync(task, argument);
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new CancellationException("interrupted while waiting for the result");
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    @Override
    public ExecutorService asExecutorService() {
        return executorService;
    }

    // ---- lifecycle ----

    @Override
    public void shutdown() {
        scheduler.shutdown();
    }

    @Override
    public void terminate() {
        scheduler.terminate();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            scheduler.terminated().get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean isTerminated() {
        return scheduler.terminated().isDone();
    }

    @Override
    public void close() {
        shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                scheduler.terminated().get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                terminate();
            } catch (ExecutionException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Pool " + spec.name() + " (" + spec.workers() + " workers)";
    }
}
