package dev.multiproc.internal;

import com.google.protobuf.ByteString;
import dev.multiproc.internal.protocol.Reply;
import java.util.ArrayDeque;

/**
 * The hub's state of a queue (and of one direction of a pipe): encoded elements in FIFO order, a capacity, the
 * requests waiting to take, to put, and to join. The hub never decodes an element: bytes go in, the same bytes come
 * out, in the process that takes them.
 *
 * <p>Each element has a kind (1: an encoded object, 2: a raw byte message) so that a pipe can refuse to hand a
 * byte message to {@code recv()} without consuming it.
 */
final class HubQueueState extends Hub.State {
    static final int KIND_OBJECT = 1;
    static final int KIND_BYTES = 2;

    private record Item(int kind, ByteString data) {
    }

    private final int capacity;
    private final ArrayDeque<Item> items = new ArrayDeque<>();
    private final Waiters takers = new Waiters(this);
    private final Waiters putters = new Waiters(this);
    private final Waiters readyWaiters = new Waiters(this);
    private final Waiters joiners = new Waiters(this);
    private boolean closed;
    private long unfinished;

    HubQueueState(int capacity) {
        this.capacity = capacity;
    }

    @Override
    synchronized void handle(Hub.Request request) {
        switch (request.call().getOp()) {
            case QUEUE_PUT -> put(request);
            case QUEUE_TAKE -> take(request);
            case QUEUE_AWAIT -> {
                if (!items.isEmpty() || closed) {
                    request.ok(1);
                } else {
                    readyWaiters.park(request);
                }
            }
            case QUEUE_SIZE -> request.ok(items.size());
            case QUEUE_CLOSE -> {
                close(request.call().getA() == 1 ? "the other end of the pipe was closed" : "the queue was closed");
                request.ok(0);
            }
            case QUEUE_TASK_DONE -> {
                if (unfinished == 0) {
                    request.fail(Reply.Status.ILLEGAL_STATE, "taskDone() called more times than elements were put");
                } else {
                    unfinished--;
                    if (unfinished == 0) {
                        while (!joiners.isEmpty()) {
                            joiners.poll().request.ok(1);
                        }
                    }
                    request.ok(0);
                }
            }
            case QUEUE_JOIN -> {
                if (unfinished == 0) {
                    request.ok(1);
                } else {
                    joiners.park(request);
                }
            }
            default -> request.fail(Reply.Status.ILLEGAL_STATE, "not a queue operation: " + request.call().getOp());
        }
    }

    private void put(Hub.Request request) {
        if (closed) {
            request.fail(Reply.Status.CLOSED, closedReason);
        } else if (items.size() < capacity && putters.isEmpty()) {
            admit(request);
        } else {
            putters.park(request);
        }
    }

    private void admit(Hub.Request request) {
        items.addLast(new Item((int) request.call().getB(), request.call().getData()));
        unfinished++;
        request.ok(0);
        serve();
    }

    private void take(Hub.Request request) {
        if (items.isEmpty()) {
            if (closed) {
                request.fail(Reply.Status.CLOSED, closedReason);
            } else {
                takers.park(request);
            }
            return;
        }
        if (!give(request)) {
            return;
        }
        serve();
    }

    /** Gives the head to a taker if the kinds match; answers ILLEGAL_STATE (and keeps the head) if not. */
    private boolean give(Hub.Request request) {
        Item head = items.peekFirst();
        long wanted = request.call().getA();
        if (wanted != 0 && wanted != head.kind) {
            request.fail(Reply.Status.ILLEGAL_STATE, head.kind == KIND_BYTES
                    ? "the next message was sent with sendBytes(); receive it with recvBytes()"
                    : "the next message was sent with send(); receive it with recv()");
            return false;
        }
        items.pollFirst();
        request.reply().complete(Reply.newBuilder().setCallId(request.call().getCallId())
                .setStatus(Reply.Status.OK).setValue(head.kind).setData(head.data).build());
        return true;
    }

    /** Matches waiting takers with elements and waiting putters with free space, until neither can move. */
    private void serve() {
        boolean moved = true;
        while (moved) {
            moved = false;
            while (!items.isEmpty() && !takers.isEmpty()) {
                Waiters.Waiter taker = takers.poll();
                if (!taker.request.reply().isDone()) {
                    give(taker.request);
                    moved = true;
                }
            }
            while (items.size() < capacity && !putters.isEmpty()) {
                Waiters.Waiter putter = putters.poll();
                if (!putter.request.reply().isDone()) {
                    items.addLast(new Item((int) putter.request.call().getB(), putter.request.call().getData()));
                    unfinished++;
                    putter.request.ok(0);
                    moved = true;
                }
            }
        }
        if (!items.isEmpty()) {
            while (!readyWaiters.isEmpty()) {
                readyWaiters.poll().request.ok(1);
            }
        }
    }

    private String closedReason = "the queue was closed";

    private void close(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        closedReason = reason;
        putters.failAll(Reply.Status.CLOSED, reason);
        if (items.isEmpty()) {
            takers.failAll(Reply.Status.CLOSED, reason);
        }
        while (!readyWaiters.isEmpty()) {
            readyWaiters.poll().request.ok(1);
        }
    }

    @Override
    synchronized void cancel(String caller, long callId) {
        takers.cancel(caller, callId);
        putters.cancel(caller, callId);
        readyWaiters.cancel(caller, callId);
        joiners.cancel(caller, callId);
    }

    @Override
    synchronized void callerGone(String caller) {
        takers.callerGone(caller);
        putters.callerGone(caller);
        readyWaiters.callerGone(caller);
        joiners.callerGone(caller);
        serve();
    }

    @Override
    synchronized void close() {
        String reason = "the queue's Context was closed";
        takers.failAll(Reply.Status.NO_SUCH_OBJECT, reason);
        putters.failAll(Reply.Status.NO_SUCH_OBJECT, reason);
        readyWaiters.failAll(Reply.Status.NO_SUCH_OBJECT, reason);
        joiners.failAll(Reply.Status.NO_SUCH_OBJECT, reason);
    }
}
