package dev.multiproc.internal.pool;

import com.google.protobuf.ByteString;
import dev.multiproc.internal.Protocol;
import dev.multiproc.internal.child.ChildMain;
import dev.multiproc.internal.jfr.ChunkEvent;
import dev.multiproc.internal.jfr.ChunkSendEvent;
import dev.multiproc.internal.jfr.EventGate;
import dev.multiproc.internal.parent.ChildLink;
import dev.multiproc.internal.protocol.Batch;
import dev.multiproc.internal.protocol.Envelope;
import dev.multiproc.internal.protocol.Interrupt;
import dev.multiproc.internal.protocol.RunTask;
import dev.multiproc.internal.protocol.Start;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One worker process of a pool and what the pool knows of it: whether it is ready, the chunks it holds (in the
 * order they were sent; the worker runs them in that order), how many chunks it completed, and which functions it
 * has cached. It hears its {@link ChildLink} and hands each event to its {@link PoolScheduler}.
 *
 * <p>Thread-safety: {@code ready}, {@code retiring}, {@code completed}, {@code inFlight} and the deadline fields are
 * guarded by the scheduler's lock, under which chunks are also queued for sending ({@link #enqueue}), so the send order is the
 * assignment order. {@link #flush} sends them outside that lock, one thread at a time per worker (a lock of
 * its own, which also guards {@code knownFunctions}). {@code link} is set once, when the worker is launched or its
 * remote worker attached.
 */
final class PoolWorker implements ChildLink.Listener {
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
    /** The pool's options: the initializer is read each time a worker starts. */
    private final PoolSpec spec;
    private final PoolScheduler scheduler;
    /** Set once, under the scheduler's lock, as soon as the link exists ({@link #onLaunched}); null before. */
    volatile ChildLink link;
    boolean ready;
    boolean retiring;
    int completed;
    /** When this worker's last result came (System.nanoTime), for the scheduler's chunk timing. */
    long lastResultNanos;
    /** The timer of the deadline of the chunk this worker runs (its first in flight), or null. */
    ScheduledFuture<?> deadline;
    /** The task id {@code deadline} is for, or -1. */
    long deadlineTaskId = -1;
    /**
     * The chunk this worker runs that the pool stopped (its deadline passed, or its call was cancelled): its call
     * has its outcome already, and the worker's answer is discarded; or null.
     */
    Assigned stopped;
    /** The timer that kills this worker if {@code stopped} has not returned within the grace period, or null. */
    ScheduledFuture<?> kill;
    /** Set when that timer decided to kill: the worker then takes no chunk again, even if its answer comes first. */
    boolean killed;
    /** The chunks sent and not answered, by task id, in the order they were sent. */
    final LinkedHashMap<Long, Assigned> inFlight = new LinkedHashMap<>();
    /** Chunks assigned and not yet sent; added under the scheduler's lock, so in assignment order. */
    private final ConcurrentLinkedQueue<Assigned> outbox = new ConcurrentLinkedQueue<>();
    /** Held while sending, so one thread at a time sends to this worker, in outbox order. */
    private final ReentrantLock sending = new ReentrantLock();
    /**
     * The {@link ChunkEvent}s of the chunks in {@code inFlight}, by task id, guarded by the scheduler's lock: null
     * until a recording takes them (kept out of {@link Assigned}, whose record methods would load the event class in
     * every pool).
     */
    private Map<Long, ChunkEvent> chunkEvents;

    /** A chunk given to this worker: its task id and when it was assigned. */
    record Assigned(PoolJob.Chunk chunk, long taskId, long assignedNanos) {
    }

    PoolWorker(String name, boolean remote, PoolSpec spec, PoolScheduler scheduler) {
        this.name = name;
        this.remote = remote;
        this.spec = spec;
        this.scheduler = scheduler;
    }

    @Override
    public void onLaunched(ChildLink link) {
        scheduler.linked(this, link);
    }

    @Override
    public void onConnected(ChildLink link) {
        Start.Builder start = link.start(Start.Role.WORKER);
        if (spec.initializer() != null) {
            start.setJob(ByteString.copyFrom(spec.initializer()));
        }
        link.send(Envelope.newBuilder().setStart(start).build());
    }

    @Override
    public void onMessage(ChildLink link, Envelope envelope) {
        switch (envelope.getBodyCase()) {
            case READY -> scheduler.workerReady(this, envelope);
            case RESULT -> scheduler.workerResult(this, envelope.getResult());
            default -> {
                // Workers send nothing else; ignore rather than fail a healthy worker.
            }
        }
    }

    @Override
    public void onExit(ChildLink link, int exitStatus) {
        scheduler.workerExited(this, exitStatus);
    }

    /**
     * This worker's result for {@code assigned} arrived (called under the scheduler's lock): commits the chunk's
     * {@link ChunkEvent}, if it has one.
     *
     * @param assigned the chunk, or null if the worker did not hold it
     * @param stopped whether the pool had stopped it already
     * @param failed whether its task threw
     */
    void answered(Assigned assigned, boolean stopped, boolean failed) {
        if (chunkEvents == null || assigned == null) {
            return;
        }
        ChunkEvent event = chunkEvents.remove(assigned.taskId());
        chunkEvents.keySet().retainAll(inFlight.keySet()); // and forget chunks taken back without an answer
        if (event == null) {
            return;
        }
        event.end();
        if (event.shouldCommit()) {
            event.pool = spec.name();
            event.worker = name;
            event.taskId = assigned.taskId();
            event.chunkIndex = assigned.chunk().index;
            event.items = assigned.chunk().items;
            event.outcome = stopped ? ChunkEvent.STOPPED : failed ? ChunkEvent.FAILED : ChunkEvent.OK;
            event.commit();
        }
    }

    /** Takes a chunk on (called under the scheduler's lock); {@link #flush} sends it. */
    void enqueue(Assigned assigned) {
        inFlight.put(assigned.taskId(), assigned);
        outbox.add(assigned);
        ChunkEvent event = EventGate.beginChunk();
        if (event != null) {
            if (chunkEvents == null) {
                chunkEvents = new HashMap<>();
            }
            chunkEvents.put(assigned.taskId(), event);
        }
    }

    /**
     * Sends the queued chunks, in the order they were assigned (called outside the scheduler's lock). Never waits for
     * another sender: if one is at work, it sends these chunks too, because it looks at the outbox again after it
     * lets go. Waiting here could deadlock: a channel's event-loop thread that delivers a result and dispatches would
     * wait for a sender that itself waits for that event loop to drain the connection.
     */
    void flush() {
        while (!outbox.isEmpty()) {
            if (!sending.tryLock()) {
                return;
            }
            List<Assigned> refused = new ArrayList<>();
            try {
                // Chunks go in batches, each under the message limit: batching never makes a legal chunk illegal.
                int limit = link.maxMessageSize() - Protocol.FRAMING_ALLOWANCE;
                List<RunTask> tasks = new ArrayList<>();
                // the ChunkSend events of the chunks in tasks; empty unless a recording takes them
                List<ChunkSendEvent> sends = new ArrayList<>(0);
                long batchBytes = 0;
                Assigned next;
                while ((next = outbox.poll()) != null) {
                    ChunkSendEvent send = EventGate.beginChunkSend();
                    RunTask task = task(next.chunk(), next.taskId());
                    int size = task.getSerializedSize() + 8;
                    if (size > limit) {
                        if (!task.getFunction().isEmpty()) {
                            knownFunctions.remove(next.chunk().job.functionId); // it never reached the worker
                        }
                        refused.add(next);
                        continue;
                    }
                    if (!tasks.isEmpty() && batchBytes + size > limit) {
                        sendTasks(tasks, sends);
                        tasks = new ArrayList<>();
                        sends = new ArrayList<>(0);
                        batchBytes = 0;
                    }
                    tasks.add(task);
                    batchBytes += size;
                    if (send != null) {
                        send.pool = spec.name();
                        send.worker = name;
                        send.taskId = next.taskId();
                        send.chunkIndex = next.chunk().index;
                        send.items = next.chunk().items;
                        send.bytes = task.getSerializedSize();
                        sends.add(send);
                    }
                }
                sendTasks(tasks, sends);
                // A failed send means the worker is dying; its exit fails the chunks.
            } finally {
                sending.unlock();
            }
            for (Assigned one : refused) {
                scheduler.unsendable(this, one, link.maxMessageSize());
            }
        }
    }

    /** Asks the worker to stop task {@code taskId} (called outside the scheduler's lock). */
    void interrupt(long taskId) {
        link.send(Envelope.newBuilder().setInterrupt(Interrupt.newBuilder().setTaskId(taskId)).build());
    }

    /** Sends tasks in one message, then commits their ChunkSend events ({@code sends}, empty if none are taken). */
    private void sendTasks(List<RunTask> tasks, List<ChunkSendEvent> sends) {
        if (tasks.size() == 1) {
            link.send(Envelope.newBuilder().setTask(tasks.get(0)).build());
        } else if (!tasks.isEmpty()) {
            link.send(Envelope.newBuilder().setBatch(Batch.newBuilder().addAllTasks(tasks)).build());
        }
        for (ChunkSendEvent send : sends) {
            send.chunksInMessage = tasks.size();
            send.commit();
        }
    }

    /** A chunk's task, with the function if this worker has not cached it (its cache mirrors this map). */
    private RunTask task(PoolJob.Chunk chunk, long taskId) {
        RunTask.Builder task = RunTask.newBuilder().setTaskId(taskId).setFunctionId(chunk.job.functionId)
                .setArgs(chunk.arguments).setMode(chunk.job.mode);
        if (knownFunctions.get(chunk.job.functionId) == null) {
            knownFunctions.put(chunk.job.functionId, Boolean.TRUE);
            task.setFunction(chunk.job.function);
        }
        return task.build();
    }
}
