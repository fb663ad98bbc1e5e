package dev.multiproc.internal.pool;

import dev.multiproc.ChildStartException;
import dev.multiproc.DeathCertificate;
import dev.multiproc.MultiprocException;
import dev.multiproc.PoolStats;
import dev.multiproc.TaskFailedException;
import dev.multiproc.TaskTimeoutException;
import dev.multiproc.WorkerCrashedException;
import dev.multiproc.internal.ContextImpl;
import dev.multiproc.internal.Protocol;
import dev.multiproc.internal.RemoteErrors;
import dev.multiproc.internal.Timers;
import dev.multiproc.internal.codec.Codec;
import dev.multiproc.internal.parent.ChildLink;
import dev.multiproc.internal.protocol.Envelope;
import dev.multiproc.internal.protocol.TaskResult;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine of a {@link PoolImpl}: its worker processes, a FIFO of jobs, and the scheduling that gives workers the
 * next chunks. A worker holds one chunk at a time while chunks are long; once they come back in under
 * {@value #SHORT_CHUNK_NANOS} ns on average, each worker holds up to {@link #prefetch} (it runs them in order), so
 * that it never waits a round trip between two short chunks. A crash fails exactly the chunk the worker was running,
 * the first it held (or, with retries, puts it back at the head of the queue); the chunks queued behind it never
 * started and go back to the head of the queue as they are. The worker is then replaced: a local worker by spawning another,
 * a remote one by a new claim in {@link RemoteSlots}. A worker that reaches {@code maxTasksPerChild} is retired and
 * replaced. Also runs the pool's life: running, shut down (no new jobs; workers retire once the work is done), and
 * terminating (everything not done is cancelled), and completes {@link #terminated()} once no worker is left.
 *
 * <p>Locking: one monitor, {@code lock}, guards the scheduling state: {@code state}, {@code broken},
 * {@code jobs}, {@code workers}, {@code retry}, {@code startFailures}, {@code averageChunkNanos}, the mutable fields of every
 * {@link PoolWorker}, {@link PoolJob.Chunk#attempts}, and the state of {@link RemoteSlots}, which uses this same
 * monitor. Jobs' {@link PoolJob#nextChunk()} is called under it. Messages are sent, results decoded, jobs
 * completed or failed, and links shut down outside it.
 */
final class PoolScheduler {
    /** Consecutive workers that die before becoming ready, after which the pool gives up. */
    private static final int MAX_START_FAILURES = 3;
    /** The wait before the next worker after a start failure; it doubles with each failure in a row. */
    private static final long START_BACKOFF_NANOS = 100_000_000;
    private static final System.Logger LOG = System.getLogger("dev.multiproc.pool");
    /**
     * The most chunks a worker holds while chunks are short: the context's
     * {@link dev.multiproc.ContextOption#POOL_PREFETCH}, default 16; 1 turns prefetching off.
     */
    private final int prefetch;
    /** Chunks that take less than this on average, from a worker's last result to the next, are prefetched. */
    private static final long SHORT_CHUNK_NANOS = 1_000_000;

    private enum State { RUNNING, SHUTDOWN, TERMINATING }

    private final ContextImpl context;
    private final PoolSpec spec;
    private final Codec codec;
    private final Object lock = new Object();
    private final ArrayDeque<PoolJob> jobs = new ArrayDeque<>();
    private final Set<PoolWorker> workers = new HashSet<>();
    private final RemoteSlots remoteSlots;
    /** Chunks of crashed workers to run again ({@code spec.retries()}), before any new chunk. */
    private final ArrayDeque<PoolJob.Chunk> retry = new ArrayDeque<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final AtomicInteger workerNumbers = new AtomicInteger();
    private final AtomicLong taskIds = new AtomicLong();
    /** The tasks done and failed over the pool's life, counted by its jobs. */
    private final PoolJob.Tally tally = new PoolJob.Tally();
    /** Workers that exited without being asked to (guarded by the lock). */
    private long workersDied;
    private State state = State.RUNNING;
    private int startFailures;
    /** Replacements waiting out their back-off ({@link #respawn()}): the pool is not terminated while any is. */
    private int pendingSpawns;
    /** How long a chunk takes a worker, averaged over the last results; infinite until the first. */
    private double averageChunkNanos = Double.POSITIVE_INFINITY;
    private Throwable broken;

    PoolScheduler(ContextImpl context, PoolSpec spec, Codec codec) {
        this.context = context;
        this.spec = spec;
        this.codec = codec;
        this.prefetch = context.poolPrefetch();
        this.remoteSlots = new RemoteSlots(context, spec, this, lock);
    }

    /** Starts the workers and waits for the remote ones; throws, with the pool broken, if they cannot come. */
    void start() {
        if (spec.remoteWorkers() > 0) {
            remoteSlots.open();
        }
        for (int i = 0; i < spec.workers() - spec.remoteWorkers(); i++) {
            spawnWorker();
        }
        for (int i = 0; i < spec.remoteWorkers(); i++) {
            remoteSlots.claim();
        }
        if (spec.remoteWorkers() > 0) {
            remoteSlots.awaitReady();
        }
    }

    /** Completes once the pool has stopped and its last worker is gone. */
    CompletableFuture<Void> terminated() {
        return terminated;
    }

    // ---- workers ----

    /** A new worker, numbered in the pool's one sequence of local and remote workers; not yet started. */
    PoolWorker newWorker(boolean remote) {
        return new PoolWorker(spec.name() + (remote ? "-remote-" : "-worker-") + workerNumbers.incrementAndGet(),
                remote, spec, this);
    }

    /** Counts a worker as one of the pool's (called under the lock). */
    void addWorker(PoolWorker worker) {
        workers.add(worker);
    }

    /** @return true once the pool is terminating (called under the lock) */
    boolean terminating() {
        return state == State.TERMINATING;
    }

    /** @return why the pool broke, or null (called under the lock) */
    Throwable broken() {
        return broken;
    }

    private void spawnWorker() {
        PoolWorker worker = newWorker(false);
        synchronized (lock) {
            workers.add(worker);
        }
        try {
            ChildLink.launch(context, context.newChildId(), worker.name, worker, spec.startTimeout());
        } catch (MultiprocException e) {
            boolean again;
            synchronized (lock) {
                workers.remove(worker);
                startFailures++;
                again = startFailures < MAX_START_FAILURES && state != State.TERMINATING;
            }
            if (again) {
                LOG.log(Level.DEBUG, () -> "Pool " + spec.name() + " could not start a worker (" + e.getMessage()
                        + "); trying again");
                respawn();
            } else {
                breakPool(e);
            }
        }
    }

    /**
     * Starts a replacement worker: at once, or, after workers that died before they were ready, once a back-off has
     * passed ({@value #START_BACKOFF_NANOS} ns, doubled for each start failure in a row), so that a pool whose
     * workers cannot start (a bad class path, no memory) neither spins nor hammers the machine before it gives up.
     */
    private void respawn() {
        int failures;
        synchronized (lock) {
            failures = startFailures;
            if (failures > 0) {
                pendingSpawns++;
            }
        }
        if (failures == 0) {
            spawnWorker();
            return;
        }
        Timers.afterNanos(START_BACKOFF_NANOS << Math.min(failures - 1, 20), () -> {
            boolean spawn;
            synchronized (lock) {
                pendingSpawns--;
                spawn = state == State.RUNNING || (state == State.SHUTDOWN && hasWork());
            }
            if (spawn) {
                spawnWorker();
            } else {
                checkTerminated();
            }
        });
    }

    // ---- worker events ----

    /**
     * A worker's link exists: before its child can exit, connect or be terminated through it. A pool terminated
     * while the worker was being launched (its link still null, so {@link #terminate()} could not reach it) stops
     * it here.
     */
    void linked(PoolWorker worker, ChildLink link) {
        boolean terminating;
        synchronized (lock) {
            worker.link = link;
            terminating = state == State.TERMINATING;
        }
        if (terminating) {
            link.terminate(false);
        }
    }

    void workerReady(PoolWorker worker, Envelope envelope) {
        if (envelope.getReady().hasError()) {
            Throwable remote = RemoteErrors.fromProto(envelope.getReady().getError(), codec);
            breakPool(new MultiprocException("The pool's initializer threw in " + worker.link.displayName()
                    + "; the pool is stopped. Fix the initializer: " + remote, remote));
            return;
        }
        synchronized (lock) {
            worker.ready = true;
            if (worker.remote) {
                remoteSlots.workerReady();
            } else {
                startFailures = 0;
            }
        }
        dispatch();
    }

    void workerResult(PoolWorker worker, TaskResult result) {
        PoolJob.Chunk chunk;
        boolean replace = false;
        synchronized (lock) {
            PoolWorker.Assigned assigned = worker.inFlight.remove(result.getTaskId());
            boolean stopped = assigned != null && assigned.equals(worker.stopped);
            if (stopped && !worker.killed) {
                // it returned after all, interrupted: its call has its outcome already, and the worker lives on
                // (unless the pool is terminating: then its kill waits until it has answered for every chunk)
                worker.stopped = null;
                if (state != State.TERMINATING) {
                    disarmKill(worker);
                }
            }
            chunk = assigned == null || stopped ? null : assigned.chunk();
            worker.answered(assigned, stopped, result.hasError());
            long now = System.nanoTime();
            if (chunk != null) {
                // from when the worker could start it: its assignment, or the worker's previous result
                double took = now - Math.max(assigned.assignedNanos(), worker.lastResultNanos);
                averageChunkNanos = Double.isInfinite(averageChunkNanos) ? took : 0.8 * averageChunkNanos + 0.2 * took;
            }
            worker.lastResultNanos = now;
            worker.completed++;
            if (spec.maxTasksPerChild() > 0 && worker.completed >= spec.maxTasksPerChild()) {
                worker.retiring = true;
                replace = state != State.TERMINATING;
            }
            if (state == State.TERMINATING && worker.inFlight.isEmpty() && !worker.retiring) {
                // stopped by terminate() and done with every chunk it held: it may go
                worker.retiring = true;
                disarmKill(worker);
            }
            armDeadline(worker);
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

    void workerExited(PoolWorker worker, int exitStatus) {
        PoolJob.Chunk lost;
        boolean replace;
        boolean startFailure;
        boolean retried = false;
        List<DeathCertificate> deaths = List.of();
        synchronized (lock) {
            workers.remove(worker);
            List<PoolJob.Chunk> held = new ArrayList<>();
            worker.inFlight.values().forEach(assigned -> held.add(assigned.chunk()));
            worker.inFlight.clear();
            cancelDeadline(worker);
            disarmKill(worker);
            // a chunk the pool stopped has its outcome already (this may be the kill that followed): not lost
            lost = held.isEmpty() || (worker.stopped != null && held.get(0) == worker.stopped.chunk()) ? null
                    : held.get(0);
            if (lost != null) {
                lost.deaths.add(certificate(worker, exitStatus, held));
                deaths = List.copyOf(lost.deaths);
            }
            if (state != State.TERMINATING) {
                // The worker runs its chunks in order, and its results up to its death have all arrived: the
                // chunks behind the first never started. They go back to the head of the queue, in their order.
                for (int i = held.size() - 1; i >= 1; i--) {
                    if (!held.get(i).job.abandoned()) {
                        retry.addFirst(held.get(i));
                    }
                }
            }
            boolean expected = worker.retiring || state == State.TERMINATING;
            if (!expected) {
                workersDied++;
            }
            // A remote worker that drops before it is ready says nothing about how this pool spawns workers.
            startFailure = !expected && !worker.ready && !worker.remote;
            if (startFailure) {
                startFailures++;
            }
            if (worker.remote && worker.ready) {
                remoteSlots.workerLost();
            }
            if (lost != null && state != State.TERMINATING && lost.attempts < spec.retries()
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
            LOG.log(Level.WARNING, deaths.get(deaths.size() - 1).summary() + "; running the chunk again on another"
                    + " worker (retry " + lost.attempts + " of " + spec.retries() + ")");
        } else if (lost != null) {
            MultiprocException stopped = worker.link.stoppedBecause();
            WorkerCrashedException crash = new WorkerCrashedException(what + (lost.attempts > 0 ? " (after "
                    + lost.attempts + (lost.attempts == 1 ? " retry" : " retries") + " on other workers)" : "")
                    + (stopped != null ? ", because " + stopped.getMessage() : ""), deaths);
            if (stopped != null) {
                crash.initCause(stopped);
            }
            lost.job.failed(lost, crash);
        }
        if (startFailure && !replace && broken == null && state != State.TERMINATING) {
            ChildStartException last = worker.link.startFailure();
            if (last == null) {
                // it connected, then died: in the pool's initializer, or before it could run it
                last = new ChildStartException(worker.link.displayName(), exitStatus, worker.link.errorTail(),
                        "after it connected: in the pool's initializer, if it has one");
            }
            breakPool(new MultiprocException(MAX_START_FAILURES + " workers in a row exited before becoming ready,"
                    + " the pool waiting longer before each next one; it stopped, and fails its calls. The last: "
                    + last.getMessage(), last));
        }
        if (replace) {
            if (worker.remote) {
                remoteSlots.claim();
            } else {
                respawn();
            }
        }
        dispatch();
        checkTerminated();
    }

    /** @return the death certificate of {@code worker}, which died holding {@code held} (called under the lock) */
    private static DeathCertificate certificate(PoolWorker worker, int exitStatus, List<PoolJob.Chunk> held) {
        String standardError = worker.link.errorTail();
        List<String> tasks = new ArrayList<>(held.size());
        for (int i = 0; i < held.size(); i++) {
            PoolJob.Chunk chunk = held.get(i);
            tasks.add("chunk " + chunk.index + " of a task (" + (i == 0 ? "running" : "queued, not started")
                    + (chunk.items == 1 ? "" : ", " + chunk.items + " items") + ")");
        }
        // ExitOnOutOfMemoryError (which every child has) exits with 3 after saying why on stderr
        boolean outOfMemory = exitStatus == 3 && standardError.contains("due to java.lang.OutOfMemoryError");
        return new DeathCertificate(worker.name, worker.link.pid(), exitStatus, outOfMemory, worker.link.age(),
                tasks, standardError);
    }

    private static String lost(PoolJob.Chunk chunk) {
        return chunk == null ? "no chunk" : Integer.toString(chunk.index);
    }

    // ---- task deadlines (Pool.Builder.taskTimeout, Pool.withTaskTimeout) ----

    /**
     * Arms the deadline of the chunk {@code worker} runs now, its first in flight, unless it is armed already
     * (called under the lock). The chunk is taken to have started when it was assigned or when the worker's previous
     * result came, whichever is later: never before it really started, so a deadline may come late, never early.
     */
    private void armDeadline(PoolWorker worker) {
        PoolWorker.Assigned head = worker.inFlight.isEmpty() ? null : worker.inFlight.values().iterator().next();
        if (head == null || head.equals(worker.stopped) || head.chunk().job.taskTimeout == null) {
            cancelDeadline(worker);
            return;
        }
        if (worker.deadlineTaskId == head.taskId()) {
            return;
        }
        cancelDeadline(worker);
        long perItem = saturatedNanos(head.chunk().job.taskTimeout);
        long budget = perItem > Long.MAX_VALUE / head.chunk().items ? Long.MAX_VALUE : perItem * head.chunk().items;
        long elapsed = System.nanoTime() - Math.max(head.assignedNanos(), worker.lastResultNanos);
        long taskId = head.taskId();
        worker.deadlineTaskId = taskId;
        worker.deadline = Timers.afterNanos(Math.max(0, budget - Math.max(0, elapsed)),
                () -> deadlinePassed(worker, taskId));
    }

    /** Called under the lock. */
    private static void cancelDeadline(PoolWorker worker) {
        cancel(worker.deadline);
        worker.deadline = null;
        worker.deadlineTaskId = -1;
    }

    /** Cancels the timer that would kill {@code worker} for a stopped chunk, if armed (called under the lock). */
    private static void disarmKill(PoolWorker worker) {
        cancel(worker.kill);
        worker.kill = null;
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * The chunk {@code worker} runs passed its deadline: its call fails now, the worker is asked to interrupt it and
     * takes no new chunk until it returns, and it is killed if it has not returned within the grace period.
     */
    private void deadlinePassed(PoolWorker worker, long taskId) {
        PoolWorker.Assigned head;
        List<Long> interrupts;
        synchronized (lock) {
            if (worker.deadlineTaskId != taskId) {
                return; // it returned in the meantime: the deadline was re-armed or cancelled
            }
            worker.deadline = null;
            worker.deadlineTaskId = -1;
            head = worker.inFlight.get(taskId);
            if (head == null || state == State.TERMINATING) {
                return;
            }
            interrupts = stopHead(worker, head);
        }
        interrupts.forEach(worker::interrupt);
        PoolJob.Chunk chunk = head.chunk();
        chunk.job.failed(chunk, new TaskTimeoutException(worker.name, worker.link.pid(), chunk.job.taskTimeout,
                "chunk " + chunk.index + " of a task" + (chunk.items > 1 ? " (" + chunk.items + " items)" : "")));
        dispatch(); // the chunks that were queued behind it go to other workers
    }

    /**
     * Marks the chunk {@code worker} runs as stopped (called under the lock): its answer will be discarded, the worker
     * takes no new chunk until it comes, and is killed if it has not come within the grace period. The chunks queued
     * behind it on that worker are taken back and put at the head of the queue, for other workers: so the worker runs
     * nothing after the stopped chunk, and a kill can only ever stop that chunk. The caller sends the worker the
     * returned interrupts, in their order, outside the lock: the queued chunks' first (the worker skips them), then
     * the stopped one's, so that the worker knows to skip them before its main thread is free to start them.
     *
     * @return the task ids to interrupt, in order; empty if the worker is stopping a chunk already
     */
    private List<Long> stopHead(PoolWorker worker, PoolWorker.Assigned head) {
        if (worker.stopped != null) {
            return List.of();
        }
        cancelDeadline(worker);
        worker.stopped = head;
        List<Long> interrupts = new ArrayList<>();
        List<PoolJob.Chunk> behind = new ArrayList<>();
        for (Iterator<PoolWorker.Assigned> it = worker.inFlight.values().iterator(); it.hasNext(); ) {
            PoolWorker.Assigned queued = it.next();
            if (!queued.equals(head)) {
                it.remove();
                interrupts.add(queued.taskId());
                behind.add(queued.chunk());
            }
        }
        for (int i = behind.size() - 1; i >= 0; i--) {
            if (!behind.get(i).job.abandoned()) {
                retry.addFirst(behind.get(i));
            }
        }
        interrupts.add(head.taskId());
        long taskId = head.taskId();
        worker.kill = Timers.afterNanos(saturatedNanos(spec.interruptGrace()), () -> killStuck(worker, taskId));
        return interrupts;
    }

    /**
     * Cancels a job: it gets no more chunks, its future fails with a {@link CancellationException}, and, if
     * {@code interrupt}, its chunks that workers hold are stopped ({@link #stopRunning}).
     */
    void cancel(PoolJob job, boolean interrupt) {
        job.cancel(new CancellationException("the call was cancelled"));
        if (interrupt) {
            stopRunning(job);
        }
        dispatch();
    }

    /**
     * Stops the chunks of {@code job} that workers hold, once nobody wants its results (cancelled with interruption,
     * or its iterator closed): a chunk a worker runs is interrupted, and its worker killed and replaced if it has not
     * returned within the grace period; a chunk queued in a worker behind another is skipped when its turn comes.
     */
    void stopRunning(PoolJob job) {
        List<Runnable> interrupts = new ArrayList<>();
        synchronized (lock) {
            if (state == State.TERMINATING) {
                return;
            }
            for (PoolWorker worker : workers) {
                List<PoolWorker.Assigned> held = new ArrayList<>(worker.inFlight.values());
                if (held.isEmpty()) {
                    continue;
                }
                List<Long> ids = new ArrayList<>();
                for (PoolWorker.Assigned queued : held.subList(1, held.size())) {
                    if (queued.chunk().job == job) {
                        ids.add(queued.taskId()); // skipped when its turn comes; its answer fails nothing
                    }
                }
                if (held.get(0).chunk().job == job) {
                    ids = stopHead(worker, held.get(0)); // the others queued there go elsewhere
                }
                for (long taskId : ids) {
                    interrupts.add(() -> worker.interrupt(taskId));
                }
            }
        }
        interrupts.forEach(Runnable::run);
        dispatch();
    }

    /** The stopped task {@code taskId} did not return within the grace period: its worker is killed. */
    private void killStuck(PoolWorker worker, long taskId) {
        synchronized (lock) {
            if (worker.stopped == null || worker.stopped.taskId() != taskId) {
                return;
            }
            worker.kill = null;
            worker.killed = true; // its answer may still come before the signal: it stays out of the rotation
        }
        LOG.log(Level.DEBUG, () -> "Worker " + worker.link.displayName() + " did not return from a task within "
                + spec.interruptGrace() + " of its interrupt (its timeout passed, or it was cancelled): killing it");
        // its exit replaces it, and puts the chunks queued behind the stopped one back at the head of the queue
        worker.link.terminate(true);
    }

    // ---- progress and metrics ----

    /** @return how many of {@code job}'s tasks workers hold now, not counting one whose call has its outcome */
    long runningItems(PoolJob job) {
        long running = 0;
        synchronized (lock) {
            for (PoolWorker worker : workers) {
                for (PoolWorker.Assigned held : worker.inFlight.values()) {
                    if (held.chunk().job == job && !held.equals(worker.stopped)) {
                        running += held.chunk().items;
                    }
                }
            }
        }
        return running;
    }

    PoolStats stats() {
        synchronized (lock) {
            int ready = 0;
            long running = 0;
            for (PoolWorker worker : workers) {
                if (worker.ready && !worker.retiring) {
                    ready++;
                }
                for (PoolWorker.Assigned held : worker.inFlight.values()) {
                    running += held.chunk().items;
                }
            }
            long queued = 0;
            for (PoolJob.Chunk chunk : retry) {
                queued += chunk.items;
            }
            for (PoolJob job : jobs) {
                queued += job.queuedItems();
            }
            return new PoolStats(workers.size(), ready, workerNumbers.get(), workersDied, tally.done.get(),
                    tally.failed.get(), running, queued);
        }
    }

    // ---- scheduling ----

    private boolean hasWork() {
        if (!jobs.isEmpty() || !retry.isEmpty()) {
            return true;
        }
        for (PoolWorker worker : workers) {
            if (!worker.inFlight.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** @return how many chunks a worker may hold now (called under the lock) */
    private int depth() {
        return averageChunkNanos < SHORT_CHUNK_NANOS ? prefetch : 1;
    }

    /** @return the ready worker with the fewest chunks that may take another, or null (called under the lock) */
    private PoolWorker leastLoaded(int depth) {
        PoolWorker best = null;
        for (PoolWorker worker : workers) {
            int load = worker.inFlight.size();
            if (worker.ready && !worker.retiring && worker.stopped == null && load < depth
                    && (spec.maxTasksPerChild() == 0 || worker.completed + load < spec.maxTasksPerChild())
                    && (best == null || load < best.inFlight.size())) {
                best = worker;
            }
        }
        return best;
    }

    /**
     * A chunk assigned to {@code worker} that no message can carry (an imap chunk encoded lazily, or a task too
     * large with its function): it fails alone, never sent, and the worker is free for the next.
     */
    void unsendable(PoolWorker worker, PoolWorker.Assigned assigned, int maxMessageSize) {
        synchronized (lock) {
            if (worker.inFlight.remove(assigned.taskId()) == null) {
                return;
            }
        }
        PoolJob.Chunk chunk = assigned.chunk();
        chunk.job.failed(chunk, Protocol.tooLarge((long) chunk.arguments.size() + chunk.job.function.size(),
                maxMessageSize, "Chunk " + chunk.index + " of a task (its arguments with the task; a smaller"
                + " chunksize makes it smaller)"));
        dispatch();
    }

    /** Gives workers the next chunks; retires idle workers once a shut-down pool has no work left. */
    void dispatch() {
        List<PoolWorker> assigned = new ArrayList<>();
        List<PoolWorker> retire = new ArrayList<>();
        List<PoolWorker> abandon = new ArrayList<>();
        synchronized (lock) {
            int depth = depth();
            while (state != State.TERMINATING) {
                PoolWorker worker = leastLoaded(depth);
                if (worker == null) {
                    break;
                }
                PoolJob.Chunk chunk = nextChunk();
                if (chunk == null) {
                    break;
                }
                worker.enqueue(new PoolWorker.Assigned(chunk, taskIds.incrementAndGet(), System.nanoTime()));
                if (!assigned.contains(worker)) {
                    assigned.add(worker);
                }
            }
            for (PoolWorker worker : assigned) {
                armDeadline(worker);
            }
            if (state == State.SHUTDOWN && !hasWork()) {
                for (PoolWorker worker : workers) {
                    if (worker.ready && !worker.retiring && worker.inFlight.isEmpty()) {
                        worker.retiring = true;
                        retire.add(worker);
                    } else if (!worker.ready && !worker.retiring && !worker.remote && worker.link != null
                            && worker.link.startAbandonable() && worker.inFlight.isEmpty()) {
                        worker.retiring = true; // before it can exit: its exit is expected
                        abandon.add(worker);
                    }
                }
                remoteSlots.withdraw();
            }
        }
        for (PoolWorker worker : assigned) {
            worker.flush();
        }
        for (PoolWorker worker : retire) {
            worker.link.shutdown();
        }
        boolean again = false;
        for (PoolWorker worker : abandon) {
            // still starting when the pool has nothing left to do: killed, not awaited (Python's Pool exits the
            // same way); one that connected meanwhile is retired as usual once ready
            if (!worker.link.abandonStart()) {
                synchronized (lock) {
                    worker.retiring = false;
                }
                again = true;
            }
        }
        if (again) {
            dispatch();
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

    /**
     * Queues a job behind the others and dispatches.
     *
     * @throws MultiprocException if the pool is shut down or broken
     */
    void enqueue(PoolJob job) {
        synchronized (lock) {
            if (state != State.RUNNING) {
                throw broken != null ? new MultiprocException("Pool " + spec.name() + " is broken: "
                        + broken.getMessage(), broken)
                        : new MultiprocException("Pool " + spec.name() + " is shut down; it accepts no more tasks."
                        + " Create a new pool.");
            }
            job.countInto(tally);
            jobs.add(job);
        }
        dispatch();
    }

    /**
     * Withdraws those of {@code candidates} that no worker has received a chunk of: they will never run, and their
     * futures fail with a {@link CancellationException}. The others (running, done, or queued in a worker behind its
     * current chunk) are left as they are.
     *
     * @param candidates the jobs to withdraw if they have not started
     * @return the jobs withdrawn, in the order of {@code candidates}
     */
    List<EagerJob> withdraw(Collection<EagerJob> candidates) {
        List<EagerJob> withdrawn = new ArrayList<>();
        synchronized (lock) {
            for (EagerJob job : candidates) {
                if (job.withdraw()) {
                    withdrawn.add(job);
                }
            }
        }
        if (withdrawn.isEmpty()) {
            return withdrawn;
        }
        CancellationException reason = new CancellationException("withdrawn from pool " + spec.name()
                + " before a worker received it");
        for (EagerJob job : withdrawn) {
            job.cancel(reason);
        }
        // Drops the withdrawn jobs from the queue, so that a shut-down pool whose only work they were can retire.
        dispatch();
        return withdrawn;
    }

    /** @return true once the pool accepts no more jobs: shut down, terminating or broken */
    boolean isShutdown() {
        synchronized (lock) {
            return state != State.RUNNING;
        }
    }

    /** @throws MultiprocException if the pool no longer accepts tasks */
    void ensureRunning() {
        synchronized (lock) {
            if (state != State.RUNNING) {
                throw new MultiprocException("Pool " + spec.name() + " is shut down; it accepts no more tasks.");
            }
        }
    }

    // ---- lifecycle ----

    /** Accepts no more jobs; workers retire once the queued work is done. */
    void shutdown() {
        synchronized (lock) {
            if (state == State.RUNNING) {
                state = State.SHUTDOWN;
            }
        }
        dispatch();
        checkTerminated();
    }

    /** Stops now: cancels what is not done and terminates the workers (no-op if already terminating). */
    void terminate() {
        synchronized (lock) {
            if (state == State.TERMINATING) {
                return;
            }
        }
        stop(new MultiprocException("Pool " + spec.name() + " was terminated before this work finished."));
    }

    /** Records the first reason the pool broke and stops it. */
    void breakPool(Throwable cause) {
        synchronized (lock) {
            if (broken == null) {
                broken = cause;
            }
        }
        stop(cause);
    }

    /**
     * Fails everything not done, then stops the workers: one that runs a chunk is asked to stop it (the task is
     * interrupted, so its {@code finally} blocks run) and is shut down when it has answered for every chunk it held,
     * or terminated after the grace period; the others are terminated at once (SIGTERM, then SIGKILL).
     */
    private void stop(Throwable reason) {
        List<PoolJob> cancelled;
        List<PoolWorker> victims;
        List<Runnable> interrupts = new ArrayList<>();
        synchronized (lock) {
            state = State.TERMINATING;
            cancelled = new ArrayList<>(jobs);
            jobs.clear();
            for (PoolWorker worker : workers) {
                worker.inFlight.values().forEach(held -> cancelled.add(held.chunk().job));
            }
            for (PoolJob.Chunk chunk : retry) {
                cancelled.add(chunk.job);
            }
            retry.clear();
            remoteSlots.withdraw();
            lock.notifyAll();
            victims = new ArrayList<>();
            for (PoolWorker worker : workers) {
                cancelDeadline(worker);
                if (worker.link == null) {
                    continue; // linked() terminates it
                }
                if (!worker.ready || worker.inFlight.isEmpty()) {
                    victims.add(worker);
                    continue;
                }
                if (worker.stopped == null) {
                    worker.stopped = worker.inFlight.values().iterator().next();
                }
                for (PoolWorker.Assigned held : worker.inFlight.values()) {
                    long taskId = held.taskId();
                    interrupts.add(() -> worker.interrupt(taskId));
                }
                disarmKill(worker);
                worker.kill = Timers.afterNanos(saturatedNanos(spec.interruptGrace()),
                        () -> worker.link.terminate(false));
            }
        }
        for (PoolJob job : cancelled) {
            job.cancel(reason);
        }
        interrupts.forEach(Runnable::run);
        for (PoolWorker worker : victims) {
            worker.link.terminate(false);
        }
        checkTerminated();
    }

    private void checkTerminated() {
        synchronized (lock) {
            if (state == State.RUNNING || !workers.isEmpty() || pendingSpawns > 0) {
                return;
            }
        }
        terminated.complete(null);
    }
}
