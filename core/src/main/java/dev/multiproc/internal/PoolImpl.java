package dev.multiproc.internal;

import com.google.protobuf.ByteString;
import dev.multiproc.Args2;
import dev.multiproc.Args3;
import dev.multiproc.CallableTask;
import dev.multiproc.MultiprocException;
import dev.multiproc.Pool;
import dev.multiproc.ResultIterator;
import dev.multiproc.SerializationException;
import dev.multiproc.Task;
import dev.multiproc.Task2;
import dev.multiproc.Task3;
import dev.multiproc.TaskFailedException;
import dev.multiproc.WorkerCrashedException;
import dev.multiproc.internal.protocol.Envelope;
import dev.multiproc.internal.protocol.RunTask;
import dev.multiproc.internal.protocol.Start;
import dev.multiproc.internal.protocol.TaskResult;
import dev.multiproc.spi.Codec;
import dev.multiproc.spi.RemoteWorkers;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link Pool}: worker processes, a FIFO of jobs, and a scheduler that gives each idle worker the next chunk.
 * Each worker holds at most one chunk, so a crash fails exactly the chunk it held (or, with retries, puts it back
 * at the head of the queue); the worker is then replaced. A remote slot is refilled by the next remote worker that
 * connects ({@link RemoteWorkers#next()}); while its claim is pending the slot is in {@code claims}, not in
 * {@code workers}.
 *
 * <p>Scheduling state is guarded by {@code lock}; messages are sent and results decoded outside it.
 */
final class PoolImpl implements Pool {
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
    /** Consecutive workers that die before becoming ready, after which the pool gives up. */
    private static final int MAX_START_FAILURES = 3;
    private static final System.Logger LOG = System.getLogger("dev.multiproc.pool");
    /** How long {@link #start()} waits for remote workers before it says, once, what it is waiting for. */
    private static final long REMOTE_WAIT_NOTICE_MILLIS = 10_000;

    private enum State { RUNNING, SHUTDOWN, TERMINATING }

    /** One worker process and what the pool knows of it. */
    private final class Worker implements ChildLink.Listener {
        final String name;
        final boolean remote;
        final Map<Long, Boolean> knownFunctions = new LinkedHashMap<>(ChildMain.FUNCTION_CACHE_SIZE * 2, 0.75f,
                true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                return size() > ChildMain.FUNCTION_CACHE_SIZE;
            }
        };
        ChildLink link;
        boolean ready;
        boolean retiring;
        int completed;
        PoolJob.Chunk inFlight;

        Worker(String name, boolean remote) {
            this.name = name;
            this.remote = remote;
        }

        @Override
        public void onConnected(ChildLink link) {
            Start.Builder start = Start.newBuilder().setRole(Start.Role.WORKER).setName(name);
            if (spec.initializer != null) {
                start.setJob(ByteString.copyFrom(spec.initializer));
            }
            link.send(Envelope.newBuilder().setStart(start).build());
        }

        @Override
        public void onMessage(ChildLink link, Envelope envelope) {
            switch (envelope.getBodyCase()) {
                case READY -> workerReady(this, envelope);
                case RESULT -> workerResult(this, envelope.getResult());
                default -> {
                    // Workers send nothing else; ignore rather than fail a healthy worker.
                }
            }
        }

        @Override
        public void onExit(ChildLink link, int exitStatus) {
            workerExited(this, exitStatus);
        }

        /** Sends a chunk, with the function if this worker has not cached it (its cache mirrors this map). */
        void run(PoolJob.Chunk chunk, long taskId) {
            RunTask.Builder task = RunTask.newBuilder().setTaskId(taskId).setFunctionId(chunk.job.functionId)
                    .setArgs(chunk.arguments).setMode(chunk.job.mode);
            if (knownFunctions.get(chunk.job.functionId) == null) {
                knownFunctions.put(chunk.job.functionId, Boolean.TRUE);
                task.setFunction(chunk.job.function);
            }
            link.send(Envelope.newBuilder().setTask(task).build());
            // A failed send means the worker is dying; its exit fails the chunk.
        }
    }

    private final ContextImpl context;
    private final PoolBuilderImpl spec;
    private final Codec codec;
    private final Object lock = new Object();
    private final ArrayDeque<PoolJob> jobs = new ArrayDeque<>();
    private final ArrayDeque<Worker> idle = new ArrayDeque<>();
    private final Set<Worker> workers = new HashSet<>();
    /** Remote slots waiting for a remote worker to connect, with their claims. */
    private final Map<Worker, CompletableFuture<RemoteWorkers.Joined>> claims = new LinkedHashMap<>();
    /** Chunks of crashed workers to run again ({@code spec.retries}), before any new chunk. */
    private final ArrayDeque<PoolJob.Chunk> retry = new ArrayDeque<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final AtomicInteger workerNumbers = new AtomicInteger();
    private final AtomicLong taskIds = new AtomicLong();
    private State state = State.RUNNING;
    private int startFailures;
    private int remotesReady;
    private RemoteWorkers remoteWorkers;
    private Throwable broken;

    PoolImpl(ContextImpl context, PoolBuilderImpl spec) {
        this.context = context;
        this.spec = spec;
        this.codec = context.codec();
    }

    void start() {
        if (spec.remoteWorkers > 0) {
            try {
                remoteWorkers = context.parentTransport().remoteWorkers();
            } catch (UnsupportedOperationException e) {
                MultiprocException refused = new MultiprocException("Pool " + spec.name + " wants "
                        + spec.remoteWorkers + " remote worker(s), but transport '" + context.transportName()
                        + "' cannot take them: " + e.getMessage(), e);
                breakPool(refused);
                throw refused;
            }
        }
        for (int i = 0; i < spec.workers - spec.remoteWorkers; i++) {
            spawnWorker();
        }
        for (int i = 0; i < spec.remoteWorkers; i++) {
            claimRemote();
        }
        if (spec.remoteWorkers > 0) {
            awaitRemotes();
        }
    }

    /** Blocks until the pool's remote workers are ready, or fails the pool with a message that says what to do. */
    private void awaitRemotes() {
        long start = System.nanoTime();
        long deadline = start + spec.startTimeout.toNanos();
        boolean noticed = false;
        boolean interrupted = false;
        String failure = null;
        synchronized (lock) {
            while (remotesReady < spec.remoteWorkers && state != State.TERMINATING) {
                long now = System.nanoTime();
                if (now >= deadline) {
                    failure = "Pool " + spec.name + " waited " + spec.startTimeout.toMillis() + " ms for "
                            + spec.remoteWorkers + " remote worker(s) and " + remotesReady + " came. Start each"
                            + " remote worker with: " + remoteWorkers.howToStart() + " (or give them longer with"
                            + " Pool.Builder.startTimeout).";
                    break;
                }
                if (!noticed && now - start >= TimeUnit.MILLISECONDS.toNanos(REMOTE_WAIT_NOTICE_MILLIS)) {
                    noticed = true;
                    LOG.log(Level.INFO, "Pool " + spec.name + " is waiting for " + (spec.remoteWorkers
                            - remotesReady) + " remote worker(s); start each with: " + remoteWorkers.howToStart());
                }
                long wait = noticed ? deadline - now
                        : Math.min(deadline - now, TimeUnit.MILLISECONDS.toNanos(REMOTE_WAIT_NOTICE_MILLIS));
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, Math.max(1, wait));
                } catch (InterruptedException e) {
                    interrupted = true;
                    failure = "Pool " + spec.name + ": interrupted while waiting for remote workers";
                    break;
                }
            }
            if (failure == null && remotesReady < spec.remoteWorkers) {
                failure = broken != null
                        ? "Pool " + spec.name + " broke while waiting for remote workers: " + broken.getMessage()
                        : "Pool " + spec.name + " was terminated while waiting for remote workers";
            }
        }
        if (failure != null) {
            MultiprocException error = new MultiprocException(failure);
            breakPool(error);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            throw error;
        }
    }

    /** Opens a remote slot: the next remote worker that connects takes it. */
    private void claimRemote() {
        Worker worker = new Worker(spec.name + "-remote-" + workerNumbers.incrementAndGet(), true);
        CompletableFuture<RemoteWorkers.Joined> claim = remoteWorkers.next();
        synchronized (lock) {
            if (state == State.TERMINATING) {
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
                workers.add(worker);
                worker.link = ChildLink.attachRemote(context, joined, worker.name, worker);
            }
        });
    }

    /** Withdraws the claims of remote slots that are still empty (called under the lock). */
    private void withdrawClaims() {
        for (CompletableFuture<RemoteWorkers.Joined> claim : claims.values()) {
            claim.cancel(false);
        }
        claims.clear();
    }

    private void spawnWorker() {
        Worker worker = new Worker(spec.name + "-worker-" + workerNumbers.incrementAndGet(), false);
        synchronized (lock) {
            workers.add(worker);
        }
        try {
            worker.link = ChildLink.launch(context, context.newChildId(), worker.name, worker, spec.startTimeout);
        } catch (MultiprocException e) {
            synchronized (lock) {
                workers.remove(worker);
            }
            breakPool(e);
        }
    }

    // ---- worker events ----

    private void workerReady(Worker worker, Envelope envelope) {
        if (envelope.getReady().hasError()) {
            Throwable remote = RemoteErrors.fromProto(envelope.getReady().getError(), codec);
            breakPool(new MultiprocException("The pool's initializer threw in " + worker.link.displayName()
                    + "; the pool is stopped. Fix the initializer: " + remote, remote));
            return;
        }
        synchronized (lock) {
            worker.ready = true;
            if (worker.remote) {
                remotesReady++;
                lock.notifyAll();
            } else {
                startFailures = 0;
            }
            idle.add(worker);
        }
        dispatch();
    }

    private void workerResult(Worker worker, TaskResult result) {
        PoolJob.Chunk chunk;
        boolean replace = false;
        synchronized (lock) {
            chunk = worker.inFlight;
            worker.inFlight = null;
            worker.completed++;
            if (spec.maxTasksPerChild > 0 && worker.completed >= spec.maxTasksPerChild) {
                worker.retiring = true;
                replace = state != State.TERMINATING;
            } else if (state != State.TERMINATING) {
                idle.add(worker);
            }
        }
        if (worker.retiring) {
            worker.link.shutdown();
        }
        if (replace) {
            spawnWorker();
        }
        if (chunk != null) {
            if (result.hasError()) {
                chunk.job.failed(chunk, new TaskFailedException(worker.link.displayName(),
                        RemoteErrors.fromProto(result.getError(), codec)));
            } else {
                try {
                    chunk.job.completed(chunk, (List<?>) codec.decode(result.getValue().toByteArray()));
                } catch (RuntimeException e) {
                    chunk.job.failed(chunk, e);
                }
            }
        }
        dispatch();
    }

    private void workerExited(Worker worker, int exitStatus) {
        PoolJob.Chunk lost;
        boolean replace;
        boolean startFailure;
        boolean retried = false;
        synchronized (lock) {
            workers.remove(worker);
            idle.remove(worker);
            lost = worker.inFlight;
            worker.inFlight = null;
            boolean expected = worker.retiring || state == State.TERMINATING;
            // A remote worker that drops before it is ready says nothing about how this pool spawns workers.
            startFailure = !expected && !worker.ready && !worker.remote;
            if (startFailure) {
                startFailures++;
            }
            if (worker.remote && worker.ready) {
                remotesReady--;
            }
            if (lost != null && state != State.TERMINATING && lost.attempts < spec.retries
                    && !lost.job.abandoned()) {
                lost.attempts++;
                retry.addFirst(lost);
                retried = true;
            }
            replace = !expected && (state == State.RUNNING || (state == State.SHUTDOWN && hasWork()))
                    && startFailures < MAX_START_FAILURES;
        }
        String what = "while running chunk " + lost(lost) + " of a task"
                + (worker.remote ? ": remote " + worker.link.remote() + " disconnected" : "");
        if (retried) {
            LOG.log(Level.WARNING, "Worker " + worker.link.displayName() + " died " + what + "; running the chunk"
                    + " again on another worker (retry " + lost.attempts + " of " + spec.retries + ")");
        } else if (lost != null) {
            lost.job.failed(lost, new WorkerCrashedException(worker.name, worker.link.pid(), exitStatus,
                    what + (lost.attempts > 0 ? " (after " + lost.attempts
                    + (lost.attempts == 1 ? " retry" : " retries") + " on other workers)" : "")));
        }
        if (startFailure && !replace && broken == null && state != State.TERMINATING) {
            breakPool(new MultiprocException("Pool " + spec.name + ": " + MAX_START_FAILURES + " workers in a row"
                    + " exited (last: " + worker.name + ", status " + exitStatus + ") before becoming ready. Look"
                    + " at their standard error above; check -D" + ChildLauncher.JVM_OPTIONS_PROPERTY
                    + " and the class path."));
        }
        if (replace) {
            if (worker.remote) {
                claimRemote();
            } else {
                spawnWorker();
            }
        }
        dispatch();
        checkTerminated();
    }

    private static String lost(PoolJob.Chunk chunk) {
        return chunk == null ? "no chunk" : Integer.toString(chunk.index);
    }

    // ---- scheduling ----

    private boolean hasWork() {
        if (!jobs.isEmpty() || !retry.isEmpty()) {
            return true;
        }
        for (Worker worker : workers) {
            if (worker.inFlight != null) {
                return true;
            }
        }
        return false;
    }

    /** Gives idle workers the next chunks; retires idle workers once a shut-down pool has no work left. */
    void dispatch() {
        List<Worker> assigned = new ArrayList<>();
        List<PoolJob.Chunk> chunks = new ArrayList<>();
        List<Worker> retire = new ArrayList<>();
        synchronized (lock) {
            while (!idle.isEmpty() && state != State.TERMINATING) {
                PoolJob.Chunk chunk = nextChunk();
                if (chunk == null) {
                    break;
                }
                Worker worker = idle.poll();
                worker.inFlight = chunk;
                assigned.add(worker);
                chunks.add(chunk);
            }
            if (state == State.SHUTDOWN && !hasWork()) {
                for (Worker worker : idle) {
                    worker.retiring = true;
                    retire.add(worker);
                }
                idle.clear();
                withdrawClaims();
            }
        }
        for (int i = 0; i < assigned.size(); i++) {
            assigned.get(i).run(chunks.get(i), taskIds.incrementAndGet());
        }
        for (Worker worker : retire) {
            worker.link.shutdown();
        }
    }

    private PoolJob.Chunk nextChunk() {
        while (!retry.isEmpty()) {
            PoolJob.Chunk again = retry.poll();
            if (!again.job.abandoned()) {
                return again;
            }
        }
        for (Iterator<PoolJob> it = jobs.iterator(); it.hasNext(); ) {
            PoolJob job = it.next();
            PoolJob.Chunk chunk = job.nextChunk();
            if (chunk != null) {
                return chunk;
            }
            if (job.exhausted()) {
                it.remove();
            }
        }
        return null;
    }

    private void enqueue(PoolJob job) {
        synchronized (lock) {
            if (state != State.RUNNING) {
                throw new MultiprocException(broken != null
                        ? "Pool " + spec.name + " is broken: " + broken.getMessage()
                        : "Pool " + spec.name + " is shut down; it accepts no more tasks. Create a new pool.");
            }
            jobs.add(job);
        }
        dispatch();
    }

    private void breakPool(Throwable cause) {
        synchronized (lock) {
            if (broken == null) {
                broken = cause;
            }
        }
        stop(cause);
    }

    private void stop(Throwable reason) {
        List<PoolJob> cancelled;
        List<Worker> victims;
        synchronized (lock) {
            state = State.TERMINATING;
            cancelled = new ArrayList<>(jobs);
            jobs.clear();
            for (Worker worker : workers) {
                if (worker.inFlight != null) {
                    cancelled.add(worker.inFlight.job);
                }
            }
            for (PoolJob.Chunk chunk : retry) {
                cancelled.add(chunk.job);
            }
            retry.clear();
            withdrawClaims();
            lock.notifyAll();
            idle.clear();
            victims = new ArrayList<>(workers);
        }
        for (PoolJob job : cancelled) {
            job.cancel(reason);
        }
        for (Worker worker : victims) {
            if (worker.link != null) {
                worker.link.terminate(false);
            }
        }
        checkTerminated();
    }

    private void checkTerminated() {
        synchronized (lock) {
            if (state == State.RUNNING || !workers.isEmpty()) {
                return;
            }
        }
        terminated.complete(null);
    }

    // ---- submission ----

    private ByteString encodeTask(Object task) {
        if (task == null) {
            throw new NullPointerException("task");
        }
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

    private CompletableFuture<List<Object>> submitEager(Object task, RunTask.Mode mode, List<?> items,
            int chunksize) {
        if (chunksize < 1) {
            throw new IllegalArgumentException("chunksize must be >= 1: " + chunksize);
        }
        ByteString function = encodeTask(task);
        List<ByteString> chunks = new ArrayList<>();
        int[] sizes = new int[(items.size() + chunksize - 1) / chunksize];
        for (int start = 0, c = 0; start < items.size(); start += chunksize, c++) {
            List<?> slice = new ArrayList<>(items.subList(start, Math.min(items.size(), start + chunksize)));
            sizes[c] = slice.size();
            chunks.add(encodeChunk(slice, start));
        }
        EagerJob job = new EagerJob(FUNCTION_IDS.incrementAndGet(), function, mode, chunks, sizes);
        if (!chunks.isEmpty()) {
            enqueue(job);
        } else {
            ensureRunning();
        }
        return job.future();
    }

    private void ensureRunning() {
        synchronized (lock) {
            if (state != State.RUNNING) {
                throw new MultiprocException("Pool " + spec.name + " is shut down; it accepts no more tasks.");
            }
        }
    }

    private int defaultChunksize(int items) {
        // Python's rule: about four chunks per worker.
        int chunksize = items / (spec.workers * 4);
        if (items % (spec.workers * 4) != 0) {
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

    @SuppressWarnings("unchecked")
    private static <R> List<R> await(CompletableFuture<? extends List<?>> future) {
        try {
            return (List<R>) future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(false);
            throw new CancellationException("interrupted while waiting for pool results");
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    private static RuntimeException unwrap(Throwable cause) {
        if (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof RuntimeException runtime ? runtime : new MultiprocException(cause.toString(), cause);
    }

    @Override
    public int workers() {
        return spec.workers;
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
        CompletableFuture<List<Object>> future = submitEager(task, RunTask.Mode.APPLY, toList(items), chunksize);
        return future.thenApplyAsync(list -> (List<R>) list, CALLBACKS);
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
                chunksize, Math.max(2, spec.workers * 2), ordered, codec, this::dispatch);
        enqueue(job);
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

    @Override
    @SuppressWarnings("unchecked")
    public <R> CompletableFuture<R> submit(CallableTask<R> task) {
        List<Object> placeholder = new ArrayList<>(1);
        placeholder.add(null);
        return submitEager(task, RunTask.Mode.CALL, placeholder, 1)
                .thenApplyAsync(list -> (R) list.get(0), CALLBACKS);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T, R> CompletableFuture<R> applyAsync(Task<T, R> task, T argument) {
        List<Object> single = new ArrayList<>(1);
        single.add(argument);
        return submitEager(task, RunTask.Mode.APPLY, single, 1)
                .thenApplyAsync(list -> (R) list.get(0), CALLBACKS);
    }

    @Override
    public <T, R> R apply(Task<T, R> task, T argument) {
        CompletableFuture<R> future = applyAsync(task, argument);
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for the result");
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    // ---- lifecycle ----

    @Override
    public void shutdown() {
        synchronized (lock) {
            if (state == State.RUNNING) {
                state = State.SHUTDOWN;
            }
        }
        dispatch();
        checkTerminated();
    }

    @Override
    public void terminate() {
        synchronized (lock) {
            if (state == State.TERMINATING) {
                return;
            }
        }
        stop(new MultiprocException("Pool " + spec.name + " was terminated before this work finished."));
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            terminated.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean isTerminated() {
        return terminated.isDone();
    }

    @Override
    public void close() {
        shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                terminated.get();
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
        return "Pool " + spec.name + " (" + spec.workers + " workers)";
    }
}
