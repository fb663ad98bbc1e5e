package dev.multiproc.internal.handle;

import com.google.protobuf.ByteString;
import dev.multiproc.JoinableQueue;
import dev.multiproc.internal.child.ChildRuntime;
import dev.multiproc.internal.hub.HubQueueState;
import dev.multiproc.internal.protocol.Call;
import dev.multiproc.internal.protocol.Op;
import dev.multiproc.internal.protocol.Reply;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A hub-backed queue. Elements are encoded in the putting process and decoded in the taking one; an element is in
 * the hub when {@code put} returns, so no process is ever kept from exiting by elements it put.
 *
 * @param <E> the element type
 */
public final class HubQueue<E> extends HubHandle implements JoinableQueue<E> {
    private static final long serialVersionUID = 1L;
    private final boolean joinable;
    private final boolean bounded;

    public HubQueue(String contextId, long objectId, boolean joinable, boolean bounded) {
        super(contextId, objectId);
        this.joinable = joinable;
        this.bounded = bounded;
    }

    private static ByteString encode(Object element) {
        Objects.requireNonNull(element, "a queue element must not be null");
        return ByteString.copyFrom(codec().encode(element));
    }

    @SuppressWarnings("unchecked")
    private E decode(ByteString data) {
        return (E) codec().decode(data.toByteArray());
    }

    /**
     * The child this handle puts from without waiting for the hub, or null: an unbounded queue admits every element
     * until it is closed, so a child's put need not wait for the answer (Python's put does not wait either; see
     * {@link HubHandle#putQuietly}). The parent's puts are direct calls, and a bounded queue's must wait for space.
     */
    private ChildRuntime quietPutter() {
        return !bounded && invoker() instanceof ChildRuntime child ? child : null;
    }

    /** @return whether the element was admitted (false: the queue stayed full for {@code timeoutNanos}) */
    private boolean admit(E element, long timeoutNanos) throws InterruptedException {
        ByteString data = encode(element);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return admit(data, timeoutNanos);
    }

    private boolean admit(ByteString data, long timeoutNanos) throws InterruptedException {
        checkPayload(data, describe() + ": an element");
        ChildRuntime quiet = quietPutter();
        if (quiet != null) {
            putQuietly(quiet, objectId, HubQueueState.KIND_OBJECT, data);
            return true;
        }
        return ok(await(Op.QUEUE_PUT, 0, HubQueueState.KIND_OBJECT, data, timeoutNanos)).getStatus()
                == Reply.Status.OK;
    }

    @Override
    public void put(E element) throws InterruptedException {
        admit(element, FOREVER);
    }

    @Override
    public void put(E element, long timeout, TimeUnit unit) throws TimeoutException, InterruptedException {
        if (!admit(element, nanos(timeout, unit))) {
            throw new TimeoutException(describe() + " stayed full for " + timeout + " " + unit);
        }
    }

    @Override
    public boolean offer(E element) {
        ByteString data = encode(element);
        try {
            return admit(data, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean offer(E element, long timeout, TimeUnit unit) throws InterruptedException {
        return admit(element, nanos(timeout, unit));
    }

    /**
     * Takes the next element: one the hub lent this process earlier, or one from the hub (in a child, with a batch
     * of further elements lent when the caller takes in a tight loop; see {@link LentItems}).
     *
     * @return its encoded bytes, or null if the wait timed out
     */
    private ByteString take(long timeoutNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Invoker invoker = invoker();
        if (!(invoker instanceof ChildRuntime child)) {
            Reply reply = ok(await(Op.QUEUE_TAKE, 0, 0, null, timeoutNanos));
            return reply.getStatus() == Reply.Status.TIMED_OUT ? null : reply.getData();
        }
        LentItems lender = child.lent(objectId);
        ByteString item = lender.poll();
        if (item != null) {
            return item;
        }
        Call.Builder call = Call.newBuilder().setObjectId(objectId).setOp(Op.QUEUE_TAKE).setA(0)
                .setB(lender.nextBatch()).setTimeoutNanos(timeoutNanos);
        Reply reply = ok(request(call, true, lender));
        if (reply.getStatus() == Reply.Status.TIMED_OUT) {
            return null;
        }
        lender.took();
        // the element is lent to this process until reported seen: report it before the caller's code has it
        lender.consumed(reply.getLentFrom());
        return reply.getData();
    }

    @Override
    public E get() throws InterruptedException {
        return decode(take(FOREVER));
    }

    @Override
    public E get(long timeout, TimeUnit unit) throws TimeoutException, InterruptedException {
        ByteString data = take(nanos(timeout, unit));
        if (data == null) {
            throw new TimeoutException(describe() + " stayed empty for " + timeout + " " + unit);
        }
        return decode(data);
    }

    @Override
    public E poll() {
        try {
            return poll(0, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        ByteString data = take(nanos(timeout, unit));
        return data == null ? null : decode(data);
    }

    @Override
    public int size() {
        return (int) nowValue(Op.QUEUE_SIZE, 0, 0);
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public void close() {
        nowValue(Op.QUEUE_CLOSE, 0, 0);
    }

    private void requireJoinable() {
        if (!joinable) {
            throw new UnsupportedOperationException(describe() + " is not joinable; create it with"
                    + " Context.joinableQueue()");
        }
    }

    @Override
    public void taskDone() {
        requireJoinable();
        nowValue(Op.QUEUE_TASK_DONE, 0, 0);
    }

    @Override
    public void join() throws InterruptedException {
        requireJoinable();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        ok(await(Op.QUEUE_JOIN, 0, 0, null, FOREVER));
    }

    @Override
    public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
        requireJoinable();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return ok(await(Op.QUEUE_JOIN, 0, 0, null, nanos(timeout, unit))).getStatus() == Reply.Status.OK;
    }

    @Override
    String describe() {
        return (joinable ? "JoinableQueue#" : "Queue#") + objectId;
    }
}
