package dev.multiproc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A pool of worker processes: Python's {@code multiprocessing.Pool}.
 *
 * <p>Workers are started when the pool is created, in parallel, and take tasks as soon as each is ready. A task
 * that throws fails its call with a {@link TaskFailedException} carrying the remote exception; a worker that dies
 * fails only the tasks it held, with a {@link WorkerCrashedException}, and is replaced. Tasks and arguments are
 * checked for serializability when they are submitted, in the calling thread.
 *
 * <p>Workers may also be <em>remote</em>: processes started on other hosts that connect to this context (see
 * {@link Builder#remoteWorkers(int)}); a chunk lost with a worker can be re-run (see {@link Builder#retries(int)}).
 *
 * <p>Work can be stopped, not only abandoned. {@code cancel(true)} on the future of {@link #applyAsync},
 * {@link #mapAsync} or {@link #submit} withdraws the call's tasks that no worker has received and stops those that
 * workers hold: the worker's thread that runs one is interrupted, and the worker is killed and replaced if the task
 * has not returned within the {@linkplain Builder#interruptGrace(Duration) grace period} (other calls are not
 * affected); {@code cancel(false)} withdraws what has not been sent and lets the rest finish, discarding it.
 * Interrupting a thread blocked in {@code map}, {@code starmap} or {@code apply} cancels its call with interruption,
 * and closing a {@link ResultIterator} stops its running tasks the same way. A {@linkplain Builder#taskTimeout task
 * timeout} stops a task by the same means, and so does completing such a future from outside: {@code
 * mapAsync(task, items).orTimeout(30, TimeUnit.SECONDS)} is a deadline for the whole call.
 *
 * <p>{@link #close()} is graceful (it finishes the submitted work, like {@code ExecutorService.close()}, and like
 * Python's {@code pool.close(); pool.join()}); {@link #terminate()} is not. {@link #asExecutorService()} shows the
 * pool as a {@code java.util.concurrent.ExecutorService}. Thread-safe.
 */
public interface Pool extends AutoCloseable {

    /**
     * @return the number of worker processes the pool keeps running
     */
    int workers();

    /**
     * Applies {@code task} to every item, in the workers, and returns the results in input order. The items are
     * sent in chunks of a default size (Python's rule: about four chunks per worker).
     *
     * @param task the function; serializable
     * @param items the arguments
     * @param <T> the argument type
     * @param <R> the result type
     * @return the results, in the order of {@code items}
     * @throws TaskFailedException if a task threw. Every item runs even so, as in Python; once all have, the
     *         failure thrown is the one of the earliest item, in input order, that failed (or whose worker died),
     *         and the later failures are attached to it as {@linkplain Throwable#getSuppressed() suppressed}
     *         exceptions (up to 16)
     * @throws WorkerCrashedException if a worker died holding one of the chunks, and that is the earliest failure
     * @throws SerializationException if the task or an item cannot be serialized
     * @throws IllegalArgumentException if a chunk of items, with the task, is larger than the context's message
     *         limit ({@link Context.Builder#maxMessageSize(int)}); nothing was sent. A task whose results are too
     *         large fails with {@code TaskFailedException} caused by it
     * @throws MultiprocException if the pool is closed
     */
    <T, R> List<R> map(Task<T, R> task, Iterable<? extends T> items);

    /**
     * As {@link #map(Task, Iterable)}, with an explicit chunk size.
     *
     * @param task the function; serializable
     * @param items the arguments
     * @param chunksize how many items go to a worker at once, at least 1
     * @param <T> the argument type
     * @param <R> the result type
     * @return the results, in the order of {@code items}
     */
    <T, R> List<R> map(Task<T, R> task, Iterable<? extends T> items, int chunksize);

    /**
     * As {@link #map(Task, Iterable)}, without blocking: Python's {@code map_async}.
     *
     * @param task the function; serializable
     * @param items the arguments
     * @param <T> the argument type
     * @param <R> the result type
     * @return a future of the results, failed as {@code map} would throw
     * @throws SerializationException if the task or an item cannot be serialized (thrown here, not through the
     *         future)
     */
    <T, R> CompletableFuture<List<R>> mapAsync(Task<T, R> task, Iterable<? extends T> items);

    /**
     * As {@link #mapAsync(Task, Iterable)}, with an explicit chunk size.
     *
     * @param task the function; serializable
     * @param items the arguments
     * @param chunksize how many items go to a worker at once, at least 1
     * @param <T> the argument type
     * @param <R> the result type
     * @return a future of the results
     */
    <T, R> CompletableFuture<List<R>> mapAsync(Task<T, R> task, Iterable<? extends T> items, int chunksize);

    /**
     * Lazily applies {@code task} to the items and yields the results in input order: Python's {@code imap}.
     * Unlike Python's, the input is read only as far as the workers need (a bounded window of chunks ahead of the
     * consumer), so an endless iterator is fine.
     *
     * @param task the function; serializable
     * @param items the arguments, read as workers become free
     * @param chunksize how many items go to a worker at once, at least 1
     * @param <T> the argument type
     * @param <R> the result type
     * @return the results; {@code next()} throws {@link TaskFailedException} or {@link WorkerCrashedException} at
     *         the position of a failed item. Close it to stop early.
     */
    <T, R> ResultIterator<R> imap(Task<T, R> task, Iterable<? extends T> items, int chunksize);

    /**
     * As {@link #imap(Task, Iterable, int)} with a chunk size of 1.
     *
     * @param task the function; serializable
     * @param items the arguments
     * @param <T> the argument type
     * @param <R> the result type
     * @return the results, in input order
     */
    <T, R> ResultIterator<R> imap(Task<T, R> task, Iterable<? extends T> items);

    /**
     * As {@link #imap(Task, Iterable, int)}, but yields each result as soon as it is ready, in any order: Python's
     * {@code imap_unordered}.
     *
     * @param task the function; serializable
     * @param items the arguments
     * @param chunksize how many items go to a worker at once, at least 1
     * @param <T> the argument type
     * @param <R> the result type
     * @return the results, in completion order
     */
    <T, R> ResultIterator<R> imapUnordered(Task<T, R> task, Iterable<? extends T> items, int chunksize);

    /**
     * Applies a two-argument task to each pair: Python's {@code starmap}.
     *
     * @param task the function; serializable
     * @param argumentPairs the argument pairs
     * @param <A> the first argument type
     * @param <B> the second argument type
     * @param <R> the result type
     * @return the results, in input order
     */
    <A, B, R> List<R> starmap(Task2<A, B, R> task, Iterable<? extends Args2<? extends A, ? extends B>> argumentPairs);

    /**
     * Applies a three-argument task to each triple: Python's {@code starmap}.
     *
     * @param task the function; serializable
     * @param argumentTriples the argument triples
     * @param <A> the first argument type
     * @param <B> the second argument type
     * @param <C> the third argument type
     * @param <R> the result type
     * @return the results, in input order
     */
    <A, B, C, R> List<R> starmap3(Task3<A, B, C, R> task,
            Iterable<? extends Args3<? extends A, ? extends B, ? extends C>> argumentTriples);

    /**
     * Runs {@code task} in a worker: Python's {@code apply_async} without arguments.
     *
     * @param task the computation; serializable
     * @param <R> the result type
     * @return its future result
     */
    <R> CompletableFuture<R> submit(CallableTask<R> task);

    /**
     * Runs {@code task(argument)} in a worker: Python's {@code apply_async(task, (argument,))}.
     *
     * @param task the function; serializable
     * @param argument the argument; serializable
     * @param <T> the argument type
     * @param <R> the result type
     * @return its future result
     */
    <T, R> CompletableFuture<R> applyAsync(Task<T, R> task, T argument);

    /**
     * This pool with another task timeout for the calls made through the returned view: the same pool (the same
     * workers, queue, stats; closing or terminating either closes or terminates both), whose {@code map},
     * {@code imap}, {@code apply}, {@code submit} and the like give each of their tasks {@code taskTimeout} instead of
     * the pool's {@linkplain Builder#taskTimeout(Duration) own}, with the same rules (the task is interrupted at its
     * deadline, its call fails with a {@link TaskTimeoutException}, its worker is killed and replaced after the grace
     * period if the task does not return). For example {@code pool.withTaskTimeout(Duration.ofSeconds(5)).map(f,
     * xs)}. Its {@link #asExecutorService()} is the pool's, with the pool's timeout.
     *
     * @param taskTimeout how long each task of these calls may run, positive; null for no limit
     * @return the view
     * @throws IllegalArgumentException if {@code taskTimeout} is zero or negative
     */
    Pool withTaskTimeout(Duration taskTimeout);

    /**
     * How far a call made on this pool has got, for a progress bar or a log line. Poll it from any thread while the
     * call runs (a blocking {@code map} can be watched through {@link #mapAsync(Task, Iterable, int)}'s future).
     *
     * @param call the future returned by this pool's {@code mapAsync}, {@code starmapAsync}, {@code applyAsync} or
     *        {@code submit} (not one derived from it with {@code thenApply} and the like)
     * @return a snapshot of its tasks done, failed and running, and its estimated time left
     * @throws IllegalArgumentException if {@code call} is not such a future of this pool
     */
    Progress progress(Future<?> call);

    /**
     * @return a snapshot of this pool's metrics: workers ready, started and died, tasks done, failed, running and
     *         queued
     */
    PoolStats stats();

    /**
     * Runs {@code task(argument)} in a worker and waits for the result: Python's {@code apply}.
     *
     * @param task the function; serializable
     * @param argument the argument; serializable
     * @param <T> the argument type
     * @param <R> the result type
     * @return the result
     * @throws TaskFailedException if the task threw
     * @throws WorkerCrashedException if the worker died running it
     */
    <T, R> R apply(Task<T, R> task, T argument);

    /**
     * This pool seen as a {@link ExecutorService}, for code written against {@code java.util.concurrent}: every task
     * given to it runs in one of the pool's worker processes, as a {@link #submit(CallableTask)} would, queued behind
     * the pool's other work. Every call returns the same view.
     *
     * <p><b>Tasks must be serializable</b>, and so must everything they capture: a plain lambda given to
     * {@code submit(Callable)} or {@code execute(Runnable)} is not, and is rejected, in the caller's thread, with a
     * {@link java.util.concurrent.RejectedExecutionException} that says so (its cause, when the task could not be
     * encoded, is a {@link SerializationException} naming the culprit). Declare the task as a {@link CallableTask},
     * which is a {@code Callable} ({@code executor.submit((CallableTask<Integer>) () -> 6 * 7)}), or cast a lambda to
     * {@code (Runnable & Serializable)} or {@code (Callable<T> & Serializable)}. The result of
     * {@code submit(Runnable, result)} never travels: it need not be serializable. For the same reason,
     * {@code CompletableFuture.supplyAsync(supplier, executor)} does not work with this executor (it hands the
     * executor a task of its own, which cannot travel); use {@link #submit(CallableTask)}, which returns a
     * {@code CompletableFuture}.
     *
     * <p><b>Results and failures</b> arrive through the returned futures as with the JDK's executors: {@code get()}
     * throws an {@link java.util.concurrent.ExecutionException} whose cause is the exception the task threw, rebuilt
     * with its remote stack trace (or a {@link RemoteThrowable} naming it), and whose message names the worker; a
     * {@link WorkerCrashedException} if the worker died running it; a {@link MultiprocException} if the pool was
     * terminated or broke first. A task given to {@code execute}, whose future nobody holds, logs its failure at
     * WARNING on {@code dev.multiproc.pool}.
     *
     * <p><b>The view's life is the pool's</b>, as {@link java.util.concurrent.Executors#unconfigurableExecutorService}
     * delegates to the executor it wraps: the worker processes are the only place its tasks run, so stopping the view
     * stops the pool, and the pool's own {@link #shutdown()}, {@link #terminate()} or {@link #close()} stop the view.
     * Do not hand it to code that shuts down executors it was given if the pool must outlive that code.
     * <ul>
     * <li>{@code shutdown()} is {@link #shutdown()}: new tasks (through the view or the pool) are rejected with a
     *     {@code RejectedExecutionException}; everything submitted still runs, then the workers exit.</li>
     * <li>{@code shutdownNow()} withdraws the view's tasks that no worker has received yet, cancels their futures
     *     and returns them (for each, the {@code Runnable} given to {@code execute}, or the {@code Future} that
     *     {@code submit} or {@code invokeAll} returned, so that they can be matched), then {@linkplain #terminate()
     *     terminates} the pool: running tasks are interrupted, then their workers stopped, and their futures, like
     *     those of the pool's other unfinished work, fail with a {@link MultiprocException}. Unlike a
     *     {@code ThreadPoolExecutor}, which leaves the futures of the tasks it returns pending forever, the returned
     *     futures are cancelled, so that nobody waits on them in vain. A task that a worker has received counts as
     *     started, although with short tasks a worker receives several ahead of the one it runs.</li>
     * <li>{@code isShutdown()} is true once the pool accepts no more work; {@code isTerminated()} and
     *     {@code awaitTermination} are {@link #isTerminated()} and {@link #awaitTermination(long, TimeUnit)}: true
     *     once every worker has exited, so once every task has ended.</li>
     * <li>{@code Future.cancel} of a task no worker has received withdraws it: it never runs. {@code cancel(true)}
     *     of a task a worker has received stops it: the worker's thread that runs it is interrupted, and the worker
     *     is killed and replaced if the task has not returned within the pool's
     *     {@linkplain Builder#interruptGrace(Duration) grace period}. {@code cancel(false)} lets it finish and
     *     discards its result. {@code invokeAny} cancels the other tasks with interruption once one succeeds.</li>
     * </ul>
     *
     * <p>Thread-safe, like the pool.
     *
     * @return the view; the same one on every call
     */
    ExecutorService asExecutorService();

    /**
     * Stops accepting tasks; the work already submitted still runs and the workers then exit. Does not wait:
     * Python's {@code pool.close()}.
     */
    void shutdown();

    /**
     * Fails the work not yet done with a {@link MultiprocException} and stops the workers: Python's
     * {@code pool.terminate()}. Does not wait ({@link #awaitTermination} does). A worker that runs a task is asked to
     * stop it first: the task is interrupted, so its clean-up ({@code finally} blocks) runs, and the worker exits once
     * the task has returned, or is terminated (SIGTERM, then SIGKILL 2 s later) if it has not returned within the
     * {@linkplain Builder#interruptGrace(Duration) grace period}. An idle worker is terminated at once.
     */
    void terminate();

    /**
     * Waits for the workers to exit after {@link #shutdown()} or {@link #terminate()}.
     *
     * @param timeout how long to wait
     * @param unit the unit of {@code timeout}
     * @return true if every worker has exited, false if the time ran out
     * @throws InterruptedException if interrupted while waiting
     */
    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * @return true once every worker has exited after a shutdown or terminate
     */
    boolean isTerminated();

    /**
     * Finishes the submitted work, then stops the workers and waits for them: {@link #shutdown()} followed by
     * {@link #awaitTermination(long, TimeUnit)} without a limit. Python's {@code pool.close(); pool.join()}. A
     * worker whose JVM is still starting when the work is done (it has run none of the application's code) is
     * killed rather than awaited.
     */
    @Override
    void close();

    /**
     * Options for a pool. Obtain one from {@link Context#poolBuilder()}.
     */
    interface Builder {
        /**
         * @param workers the number of worker processes, at least 1 (default: the number of processors)
         * @return this builder
         */
        Builder workers(int workers);

        /**
         * @param initializer run once in each worker when it starts, before it takes tasks (Python's
         *        {@code initializer}); if it throws, the pool fails its pending work and refuses more
         * @return this builder
         */
        Builder initializer(Job initializer);

        /**
         * @param maxTasksPerChild how many chunks a worker runs before it is replaced by a fresh one (Python's
         *        {@code maxtasksperchild}); 0, the default, means no limit
         * @return this builder
         */
        @SuppressWarnings("InvalidParam") // the Javadoc names Python's parameter on purpose
        Builder maxTasksPerChild(int maxTasksPerChild);

        /**
         * Makes {@code remoteWorkers} of the pool's {@linkplain #workers(int) workers} remote: instead of spawning
         * them, the pool takes worker processes that connect to this context from outside, typically from other
         * hosts (with the socket transport: {@code java -cp <the same jars>
         * dev.multiproc.transport.socket.RemoteWorker --connect HOST:PORT --authkey-file FILE}; see the user
         * guide). {@link #build()} then blocks until that many remote workers have connected and are ready, for at
         * most the {@linkplain #startTimeout(Duration) start timeout}, and fails with a {@link MultiprocException}
         * that names the address and the command to run if they do not come.
         *
         * <p>A remote worker whose connection drops counts as a crashed worker: the chunk it held fails with a
         * {@link WorkerCrashedException} (or is re-run, see {@link #retries(int)}), and its slot is taken by the
         * next remote worker that connects; until then the pool goes on with the workers it has.
         *
         * <p>The default is the system property {@code multiproc.pool.remoteWorkers}, or 0.
         *
         * @param remoteWorkers how many of the workers are remote, from 0 to {@code workers}
         * @return this builder
         * @throws IllegalArgumentException if {@code remoteWorkers} is negative ({@link #build()} checks that it
         *         is at most {@code workers})
         */
        Builder remoteWorkers(int remoteWorkers);

        /**
         * Re-runs the chunk of a worker that crashed or disconnected on another worker, up to {@code retries}
         * times, before its call fails with a {@link WorkerCrashedException} that carries a
         * {@linkplain WorkerCrashedException#deathCertificates() death certificate} for every worker the chunk
         * killed. So a chunk that kills its worker {@code retries + 1} times (a poison task: it exits, crashes the
         * JVM or runs it out of memory wherever it runs) is not run again, and the pool, whose workers are replaced,
         * stays healthy; while a chunk that lost its worker to something else (a remote host gone, a process killed
         * from outside) runs to completion elsewhere. A task that throws, times out or is cancelled is never re-run.
         *
         * <p>Default 1: a chunk runs on at most two workers. A chunk that crashed its worker may have done part of
         * its work; for tasks that must never run twice (not idempotent), set 0, and the first crash fails the call
         * (Python's {@code Pool} never re-runs a task, and hangs instead when a worker dies).
         *
         * @param retries how many times a chunk is re-run after its worker died, at least 0
         * @return this builder
         * @throws IllegalArgumentException if {@code retries} is negative
         */
        Builder retries(int retries);

        /**
         * Gives every task a deadline. A task still running {@code taskTimeout} after it started fails its call with
         * a {@link TaskTimeoutException} at once, and the worker's thread that runs it is interrupted; if the task
         * has not returned within the {@linkplain #interruptGrace(Duration) grace period}, the worker process is
         * killed and replaced (the tasks queued behind it run on other workers). A timed-out task is never re-run.
         * A chunk of several items ({@code map} with a chunk size above 1) may run for {@code taskTimeout} times its
         * number of items, and fails as a whole. Default: none (Python's {@code Pool} has no task timeout).
         *
         * @param taskTimeout how long one task may run, positive; null for no limit
         * @return this builder
         * @throws IllegalArgumentException if {@code taskTimeout} is zero or negative
         */
        Builder taskTimeout(Duration taskTimeout);

        /**
         * @param interruptGrace how long a task that was interrupted (its {@linkplain #taskTimeout(Duration)
         *        timeout} passed) may take to return before its worker is killed and replaced; default 1 s, 0 kills
         *        the worker at the deadline
         * @return this builder
         * @throws IllegalArgumentException if {@code interruptGrace} is negative
         */
        Builder interruptGrace(Duration interruptGrace);

        /**
         * @param name the prefix of the workers' names (default {@code "pool-N"})
         * @return this builder
         */
        Builder name(String name);

        /**
         * @param startTimeout how long a worker may take from spawn to ready before it counts as failed, and how
         *        long {@link #build()} waits for {@linkplain #remoteWorkers(int) remote workers} (default 60 s)
         * @return this builder
         */
        Builder startTimeout(Duration startTimeout);

        /**
         * @return the started pool
         */
        Pool build();
    }
}
