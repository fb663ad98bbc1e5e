package dev.multiproc.internal.handle;

import com.google.protobuf.ByteString;
import dev.multiproc.ChannelClosedException;
import dev.multiproc.MultiprocException;
import dev.multiproc.internal.Protocol;
import dev.multiproc.internal.child.ChildRuntime;
import dev.multiproc.internal.codec.Codec;
import dev.multiproc.internal.codec.DefaultCodec;
import dev.multiproc.internal.jfr.EventGate;
import dev.multiproc.internal.jfr.HubOperationEvent;
import dev.multiproc.internal.protocol.Call;
import dev.multiproc.internal.protocol.Op;
import dev.multiproc.internal.protocol.Reply;
import java.io.Serializable;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The common part of every hub-backed handle: which context and object it names, and how it reaches the hub from
 * the process it is in. Serialized, a handle is just those two ids; deserialized in any process of the context, it
 * finds its way to the same hub object.
 */
public abstract class HubHandle implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final long FOREVER = -1;

    final String contextId;
    final long objectId;
    private transient volatile Invoker invoker;

    HubHandle(String contextId, long objectId) {
        this.contextId = contextId;
        this.objectId = objectId;
    }

    public static Codec codec() {
        return DefaultCodec.INSTANCE;
    }

    static long nanos(long timeout, TimeUnit unit) {
        return Math.max(0, unit.toNanos(timeout));
    }

    Invoker invoker() {
        Invoker current = invoker;
        if (current == null) {
            try {
                current = Invoker.forContext(contextId);
            } catch (MultiprocException e) {
                throw gone(e.getMessage());
            }
            invoker = current;
        }
        return current;
    }

    /**
     * @param message why: the handle's context has closed, or is not reachable from this process
     * @return what an operation on a handle whose object is gone throws: {@link IllegalStateException}, as the
     *         transports' native objects do once their context has closed (the tck's ResourceContract checks both)
     */
    RuntimeException gone(String message) {
        return new IllegalStateException(message);
    }

    /**
     * Refuses an element or message that no channel of the context could carry, before it is put anywhere: once in
     * the hub, it could never be handed to a child.
     *
     * @throws IllegalArgumentException if {@code data} is over the context's limit
     */
    final void checkPayload(ByteString data, String what) {
        Protocol.checkPayload(data.size(), invoker().maxMessageSize(), what);
    }

    /** An operation that may wait: interruptible, with a timeout (FOREVER, 0 = do not wait, or nanos). */
    final Reply await(Op op, long a, long b, ByteString data, long timeoutNanos) throws InterruptedException {
        Call.Builder call = Call.newBuilder().setObjectId(objectId).setOp(op).setA(a).setB(b)
                .setTimeoutNanos(timeoutNanos);
        if (data != null) {
            call.setData(data);
        }
        return request(call, true, null);
    }

    /** An operation that does not wait, or must not be abandoned once asked (lock(), for example). */
    final Reply now(Op op, long a, long b, ByteString data) {
        Call.Builder call = Call.newBuilder().setObjectId(objectId).setOp(op).setA(a).setB(b)
                .setTimeoutNanos(FOREVER);
        if (data != null) {
            call.setData(data);
        }
        try {
            return request(call, false, null);
        } catch (InterruptedException e) {
            throw new AssertionError("uninterruptible call was interrupted", e);
        }
    }

    /** An operation that does not wait, with encoded operands in {@code args}; its answer checked by {@link #ok}. */
    final Reply nowWith(Op op, long a, long b, ByteString data, ByteString... args) {
        Call.Builder call = Call.newBuilder().setObjectId(objectId).setOp(op).setA(a).setB(b)
                .setTimeoutNanos(FOREVER);
        if (data != null) {
            call.setData(data);
        }
        for (ByteString arg : args) {
            call.addArgs(arg);
        }
        try {
            return ok(request(call, false, null));
        } catch (InterruptedException e) {
            throw new AssertionError("uninterruptible call was interrupted", e);
        }
    }

    /** @return {@code object} encoded by the context's codec, to travel to the hub */
    static ByteString encoded(Object object) {
        return ByteString.copyFrom(codec().encode(object));
    }

    /** @return the object a hub reply's bytes encode */
    static Object decoded(ByteString bytes) {
        return codec().decode(bytes.toByteArray());
    }

    /**
     * Carries a call to the hub and waits for its answer: every call of a handle that waits for one goes through
     * here, timed as a {@link HubOperationEvent}.
     *
     * @param call the call; the invoker numbers it
     * @param interruptible whether an interrupt withdraws it (see {@link Invoker#invoke})
     * @param lender for a take in a child, where further elements lent with the answer go; else null
     * @return the hub's answer
     * @throws InterruptedException if interrupted and the call was withdrawn
     */
    final Reply request(Call.Builder call, boolean interruptible, LentItems lender) throws InterruptedException {
        HubOperationEvent event = EventGate.beginHubOperation();
        Reply reply = null;
        boolean interrupted = false;
        try {
            Invoker current = invoker();
            reply = lender != null && current instanceof ChildRuntime child ? child.invoke(call, interruptible, lender)
                    : current.invoke(call, interruptible);
            return reply;
        } catch (InterruptedException e) {
            interrupted = true;
            throw e;
        } finally {
            if (event != null) {
                hubOperation(event, call, reply, interrupted);
            }
        }
    }

    /** Commits a call's {@link HubOperationEvent} if the recording wants it. */
    private void hubOperation(HubOperationEvent event, Call.Builder call, Reply reply, boolean interrupted) {
        event.end();
        if (event.shouldCommit()) {
            event.operation = call.getOp().name();
            event.object = describe();
            event.outcome = reply != null ? reply.getStatus().name().toLowerCase(Locale.ROOT)
                    : interrupted ? HubOperationEvent.INTERRUPTED : HubOperationEvent.FAILED;
            event.commit();
        }
    }

    /**
     * Puts an element into an unbounded hub queue from a child without waiting for the hub: the element is on its
     * way to the hub, ahead of anything this process sends later. If the hub refused an earlier quiet put into the
     * same queue (it was closed meanwhile), this put throws that refusal instead.
     */
    final void putQuietly(ChildRuntime child, long queueId, int kind, ByteString data) {
        Reply refusal = child.takeRefusal(queueId);
        if (refusal != null) {
            ok(refusal.toBuilder().setError(refusal.getError() + " (an element this process sent earlier was"
                    + " refused)").build());
        }
        Call.Builder call = Call.newBuilder().setObjectId(queueId).setOp(Op.QUEUE_PUT).setB(kind).setData(data)
                .setTimeoutNanos(FOREVER);
        if (!child.quietWindowFull(data.size())) {
            child.invokeQuietly(call);
            return;
        }
        // Every so many bytes, a put that waits for its answer. The hub answers it once it has admitted it, and so
        // every quiet put before it: what this process has on its way, or parked in the hub waiting for room (see
        // ContextOption#HUB_MAX_BYTES), stays under the window instead of filling the parent's heap.
        try {
            ok(request(call, false, null));
        } catch (InterruptedException e) {
            throw new AssertionError("uninterruptible call was interrupted", e);
        }
    }

    /**
     * Tells the hub something without waiting for its answer: from a child, a one-way call on its channel, which
     * reaches the hub before anything this process sends later, and before the parent can see this process exit;
     * in the parent, a direct call, which the hub has handled when this returns.
     */
    final void tell(Op op, long a, long b) {
        if (invoker() instanceof ChildRuntime child) {
            child.sendOneWay(objectId, op, a, b);
        } else {
            now(op, a, b, null);
        }
    }

    final long nowValue(Op op, long a, long b) {
        return ok(now(op, a, b, null)).getValue();
    }

    /** Turns a reply that is not OK (and not TIMED_OUT) into the exception the API documents. */
    final Reply ok(Reply reply) {
        switch (reply.getStatus()) {
            case OK, TIMED_OUT -> {
                return reply;
            }
            case CLOSED -> throw new ChannelClosedException(describe() + ": " + reply.getError());
            case NO_SUCH_OBJECT -> throw gone(describe() + " is gone: " + reply.getError());
            case THROWN -> {
                Object thrown = codec().decode(reply.getData().toByteArray());
                if (thrown instanceof RuntimeException unchecked) {
                    throw unchecked;
                }
                if (thrown instanceof Error error) {
                    throw error;
                }
                throw new MultiprocException(describe() + ": the operation threw " + thrown, (Throwable) thrown);
            }
            case ILLEGAL_STATE -> throw new IllegalStateException(describe() + ": " + reply.getError());
            case INTERNAL_ERROR -> throw new MultiprocException(describe() + ": the parent's hub failed serving "
                    + "this call, a multiproc bug; please report it with the parent's stack trace:\n"
                    + reply.getError());
            default -> throw new MultiprocException(describe() + ": unexpected reply " + reply.getStatus().name() + " "
                    + reply.getError());
        }
    }

    String describe() {
        return getClass().getSimpleName() + "#" + objectId;
    }

    @Override
    public String toString() {
        return describe() + "@" + contextId;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HubHandle handle && handle.getClass() == getClass()
                && handle.objectId == objectId && handle.contextId.equals(contextId);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(objectId) * 31 + contextId.hashCode();
    }
}
