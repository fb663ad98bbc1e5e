package dev.multiproc.internal.hub;

import com.google.protobuf.ByteString;
import dev.multiproc.internal.handle.HubHandle;
import dev.multiproc.internal.protocol.Call;
import dev.multiproc.internal.protocol.Reply;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds the state of a context's shared primitives in the parent, and carries out the operations that handles in
 * any process send it (Python's Manager server, without the extra process). An operation that has to wait (a lock
 * held, a queue empty) parks its reply, not a thread: the reply future completes when the operation can, when its
 * timeout runs out, when the caller cancels it, or when the hub closes.
 */
public final class Hub implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.multiproc.hub");
    /** The caller id of the parent process itself. */
    public static final String PARENT = "parent";

    /** One operation in progress: who asked, what, and where the answer goes. */
    record Request(String caller, Call call, CompletableFuture<Reply> reply) {
        void ok(long value) {
            reply.complete(Reply.newBuilder().setCallId(call.getCallId()).setStatus(Reply.Status.OK).setValue(value)
                    .build());
        }

        void ok(ByteString data) {
            reply.complete(Reply.newBuilder().setCallId(call.getCallId()).setStatus(Reply.Status.OK).setData(data)
                    .build());
        }

        /** Answers a value that may be absent: {@code value} 1 and the bytes, or {@code value} 0. */
        void okMaybe(ByteString data) {
            Reply.Builder answer = Reply.newBuilder().setCallId(call.getCallId()).setStatus(Reply.Status.OK);
            if (data != null) {
                answer.setValue(1).setData(data);
            }
            reply.complete(answer.build());
        }

        /** Answers that the operation threw {@code thrown}, which the caller throws in turn. */
        void thrown(Throwable thrown) {
            ByteString encoded;
            try {
                encoded = ByteString.copyFrom(HubHandle.codec().encode(thrown));
            } catch (RuntimeException unencodable) {
                encoded = ByteString.copyFrom(HubHandle.codec().encode(new IllegalStateException(
                        thrown.getClass().getName() + ": " + thrown.getMessage() + " (the exception itself could not be"
                        + " serialized: " + unencodable.getMessage() + ")")));
            }
            reply.complete(Reply.newBuilder().setCallId(call.getCallId()).setStatus(Reply.Status.THROWN)
                    .setData(encoded).build());
        }

        void fail(Reply.Status status, String error) {
            reply.complete(Reply.newBuilder().setCallId(call.getCallId()).setStatus(status).setError(error).build());
        }

        boolean isFrom(String otherCaller, long callId) {
            return caller.equals(otherCaller) && call.getCallId() == callId;
        }
    }

    /** The state of one primitive. Implementations synchronize on themselves. */
    abstract static class State {
        Hub hub;

        abstract void handle(Request request);

        public void cancel(String caller, long callId) {
        }

        public void callerGone(String caller) {
        }

        /** The hub has room again for a put this state parked (see {@link Hub#waitForRoom}). */
        void roomAvailable() {
        }

        void close() {
        }
    }

    /**
     * The most bytes of elements the context's hub queues (and hub pipes) hold at once, in this process's heap:
     * {@link dev.multiproc.ContextOption#HUB_MAX_BYTES}, by default a quarter of the heap (a quarter, because G1 keeps
     * an element of half a region or more in whole regions of its own, which can double what it takes). A put beyond
     * it waits, as on a full bounded queue,
     * until takes make room (a child's quick puts too: see {@link HubHandle#putQuietly}); one element always fits an
     * empty hub. Without it, children that put faster than anyone takes fill the parent's heap, and an
     * OutOfMemoryError can strike any thread of the parent.
     */
    private final long maxHeldBytes;

    /** Bytes of elements held by the hub's queues now. */
    private final AtomicLong heldBytes = new AtomicLong();
    /** Queues with a put waiting for room under the byte budget: served again when bytes are released. */
    private final Set<State> waitingForRoom = ConcurrentHashMap.newKeySet();

    private final Map<Long, State> objects = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "multiproc-hub-timer");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;


    /** @return how many objects the hub keeps */
    public int objectCount() {
        return objects.size();
    }

    /** @return the bytes the hub holds now for its objects' contents */
    public long heldBytes() {
        return heldBytes.get();
    }

    /** @return the most bytes the hub holds before a put waits */
    public long maxHeldBytes() {
        return maxHeldBytes;
    }

    /** @param maxHeldBytes the most bytes of elements the hub's queues hold at once */
    public Hub(long maxHeldBytes) {
        this.maxHeldBytes = maxHeldBytes;
    }

    public long register(State state) {
        state.hub = this;
        long id = ids.incrementAndGet();
        objects.put(id, state);
        return id;
    }

    public CompletableFuture<Reply> dispatch(String caller, Call call) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        Request request = new Request(caller, call, reply);
        State state = objects.get(call.getObjectId());
        if (state == null || closed) {
            request.fail(Reply.Status.NO_SUCH_OBJECT, "object " + call.getObjectId()
                    + " no longer exists: its Context was closed");
        } else {
            try {
                state.handle(request);
            } catch (RuntimeException e) {
                // Not ILLEGAL_STATE: a caller must not take the hub's own bug for a misuse of the API (an unlock
                // expecting IllegalMonitorStateException would pass on a NullPointerException).
                LOG.log(System.Logger.Level.ERROR, "the hub failed serving " + call.getOp().name() + " on object "
                        + call.getObjectId() + " for " + caller, e);
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                request.fail(Reply.Status.INTERNAL_ERROR, trace.toString());
            }
            wakeWaitingForRoom();
        }
        return reply;
    }

    /**
     * Reserves room for an element of {@code size} bytes.
     *
     * @return false if the hub holds too much already (the caller parks the put and calls {@link #waitForRoom})
     */
    boolean reserve(long size) {
        while (true) {
            long held = heldBytes.get();
            if (held > 0 && held + size > maxHeldBytes) {
                return false;
            }
            if (heldBytes.compareAndSet(held, held + size)) {
                return true;
            }
        }
    }

    /**
     * Makes a shared buffer of {@code size} bytes in this process's heap, held until the hub closes.
     *
     * @param lock the buffer's lock, encoded, for processes that attach the buffer by name
     * @return the buffer's object id
     * @throws IllegalArgumentException if the buffer would take the hub past its budget of bytes
     */
    public long registerBuffer(int size, ByteString lock) {
        long held = tryHold(size);
        if (held >= 0) {
            throw new IllegalArgumentException("a shared buffer of " + size + " bytes does not fit: on this"
                    + " transport shared buffers live in the parent's heap, and the context's hub may hold "
                    + maxHeldBytes + " bytes (" + held + " in use); raise ContextOption.HUB_MAX_BYTES (and -Xmx),"
                    + " or use the shm transport, whose buffers are shared memory");
        }
        return register(new HubBufferState(size, lock));
    }

    /**
     * Accounts for a change of {@code delta} bytes in what an object keeps for good (a map's entries, a list's
     * elements), which counts against the same budget as queued elements and buffers.
     *
     * @param what the object, for the message
     * @throws IllegalStateException if growing by {@code delta} would take the hub past its budget; nothing changes
     */
    void resize(long delta, String what) {
        if (delta <= 0) {
            release(-delta);
            return;
        }
        long held = tryHold(delta);
        if (held >= 0) {
            throw new IllegalStateException(what + " cannot grow by " + delta + " bytes: it lives in the parent's"
                    + " heap, where the context's hub may hold " + maxHeldBytes + " bytes (" + held + " in use by"
                    + " queued elements, pipe messages, buffers, maps and lists); remove entries, or raise"
                    + " ContextOption.HUB_MAX_BYTES (and -Xmx)");
        }
    }

    /** @return -1 if {@code size} more bytes are now held; else the bytes held, which leave no room for them */
    private long tryHold(long size) {
        while (true) {
            long held = heldBytes.get();
            if (held + size > maxHeldBytes) {
                return held;
            }
            if (heldBytes.compareAndSet(held, held + size)) {
                return -1;
            }
        }
    }

    /** An element of {@code size} bytes left the hub (taken for good, or its queue closed). */
    void release(long size) {
        heldBytes.addAndGet(-size);
    }

    /** {@code state} has a put waiting for room; it is served again after the next call that may release some. */
    void waitForRoom(State state) {
        waitingForRoom.add(state);
    }

    /** After a call, outside every state's monitor: lets the queues waiting for room try again if there is some. */
    private void wakeWaitingForRoom() {
        if (waitingForRoom.isEmpty() || heldBytes.get() >= maxHeldBytes) {
            return;
        }
        for (Iterator<State> waiting = waitingForRoom.iterator(); waiting.hasNext(); ) {
            State state = waiting.next();
            waiting.remove(); // a concurrent set: its iterator removes safely, and sees additions or not
            state.roomAvailable();
        }
    }

    public void cancel(String caller, long objectId, long callId) {
        State state = objects.get(objectId);
        if (state != null) {
            state.cancel(caller, callId);
        }
    }

    /** A process is gone: forget its waiters and release what it held. */
    public void callerGone(String caller) {
        for (State state : objects.values()) {
            state.callerGone(caller);
        }
        wakeWaitingForRoom();
    }

    ScheduledFuture<?> schedule(Runnable task, long nanos) {
        return timer.schedule(task, nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        closed = true;
        for (State state : objects.values()) {
            state.close();
        }
        objects.clear();
        timer.shutdownNow();
    }
}
