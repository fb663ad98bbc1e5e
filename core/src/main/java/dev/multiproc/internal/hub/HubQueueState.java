package dev.multiproc.internal.hub;

import com.google.protobuf.ByteString;
import dev.multiproc.internal.protocol.Reply;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hub's state of a queue (and of one direction of a pipe): encoded elements in FIFO order, a capacity, the
 * requests waiting to take, to put, and to join. The hub never decodes an element: bytes go in, the same bytes come
 * out, in the process that takes them.
 *
 * <p>Each element has a kind (1: an encoded object, 2: a raw byte message) so that a pipe can refuse to hand a
 * byte message to {@code recv()} without consuming it.
 *
 * <p>Lending: a take that asks for a batch ({@code b} &gt; 1) gets the head and up to {@code b - 1} further
 * elements, which stay lent to the caller's process until it reports each one consumed (QUEUE_CONSUMED, one-way,
 * sent before the element reaches the caller's code) or gives the rest back (QUEUE_RETURN); both name elements by
 * their loan number, so they mean the same whatever order they reach the hub in, also around a later batch. Elements lent to a
 * process that dies go back to the head of the queue, in order: the channel delivers every report the process
 * wrote before it died, so only elements its code never saw return. Lent elements count in {@code size()}, and
 * against a bounded queue's capacity. While elements are lent to one process, other processes wait to take: the lent
 * ones are older than the head, and the queue stays first in, first out across its consumers.
 */
public final class HubQueueState extends Hub.State {
    /** The most bytes of further elements a child's take is lent besides the one it returns. */
    static final long MAX_LENT_BYTES = 1 << 20;

    public static final int KIND_OBJECT = 1;
    public static final int KIND_BYTES = 2;
    /** Why a {@code taskDone()} is refused, on the hub and on every native joinable queue alike. */
    public static final String TASK_DONE_TOO_OFTEN = "taskDone() called more times than elements were put";

    private record Item(int kind, ByteString data) {
    }

    private final int capacity;
    private final ArrayDeque<Item> items = new ArrayDeque<>();
    /**
     * Elements lent to one process, by loan number (per process, counting up; insertion order is loan order).
     * Reports and returns name loan numbers, so they mean the same whatever order they arrive in.
     */
    private static final class Loans {
        long next;
        final LinkedHashMap<Long, Item> items = new LinkedHashMap<>();
    }

    private final Map<String, Loans> lent = new HashMap<>();
    private int lentCount;
    private final Waiters takers = new Waiters(this);
    private final Waiters putters = new Waiters(this);
    private final Waiters readyWaiters = new Waiters(this);
    private final Waiters joiners = new Waiters(this);
    private boolean closed;
    private long unfinished;

    public HubQueueState(int capacity) {
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
            case QUEUE_SIZE -> request.ok(items.size() + lentCount);
            case QUEUE_CONSUMED -> {
                Loans ofCaller = lent.get(request.caller());
                Item consumed = ofCaller == null ? null : ofCaller.items.remove(request.call().getA());
                if (consumed == null) {
                    request.fail(Reply.Status.ILLEGAL_STATE, "element " + request.call().getA() + " is not lent to "
                            + request.caller());
                } else {
                    lentCount--;
                    hub.release(consumed.data.size());
                    request.ok(0);
                    serve();   // a bounded queue counts lent elements: space for a waiting putter
                }
            }
            case QUEUE_RETURN -> {
                giveBack(request.caller(), request.call().getA(), request.call().getB());
                request.ok(0);
                serve();
            }
            case QUEUE_CLOSE -> {
                close(request.call().getA() == 1 ? "the other end of the pipe was closed" : "the queue was closed");
                request.ok(0);
            }
            case QUEUE_TASK_DONE -> {
                if (unfinished == 0) {
                    request.fail(Reply.Status.ILLEGAL_STATE, TASK_DONE_TOO_OFTEN);
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
            default -> request.fail(Reply.Status.ILLEGAL_STATE, "not a queue operation: " + request.call().getOp().name());
        }
    }

    private void put(Hub.Request request) {
        if (closed) {
            request.fail(Reply.Status.CLOSED, closedReason);
        } else if (items.size() + lentCount < capacity && putters.isEmpty()
                && hasRoom(request.call().getData().size())) {
            admit(request);
        } else {
            putters.park(request);
        }
    }

    /**
     * Reserves room in the hub's byte budget (see {@link dev.multiproc.ContextOption#HUB_MAX_BYTES}); if there is none, asks to be served
     * again when there is, and checks once more, since room may have come in between.
     */
    private boolean hasRoom(long size) {
        if (hub.reserve(size)) {
            return true;
        }
        hub.waitForRoom(this);
        return hub.reserve(size);
    }

    @Override
    synchronized void roomAvailable() {
        serve();
    }

    private void admit(Hub.Request request) {
        items.addLast(new Item((int) request.call().getB(), request.call().getData()));
        unfinished++;
        request.ok(0);
        serve();
    }

    /**
     * Whether {@code caller} may take the head now: not while elements are lent to another process, because those
     * are older than the head. They come back soon: consumed, given back when their lease runs out, or put back
     * when their process dies.
     */
    private boolean mayTake(String caller) {
        if (lentCount == 0) {
            return true;
        }
        Loans own = lent.get(caller);
        return own != null && own.items.size() == lentCount;
    }

    private void take(Hub.Request request) {
        if (items.isEmpty() || !mayTake(request.caller())) {
            if (closed && items.isEmpty() && mayTake(request.caller())) {
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
        Reply.Builder reply = Reply.newBuilder().setCallId(request.call().getCallId()).setStatus(Reply.Status.OK)
                .setValue(head.kind).setData(head.data);
        long batch = request.call().getB();
        boolean lends = batch >= 1 && wanted == 0 && !request.caller().equals(Hub.PARENT);
        if (!lends) {
            hub.release(head.data.size()); // gone for good; a lent element is held until consumed
        }
        if (lends) {
            // A child's take: the element it returns is lent too, until the child reports it seen (just before
            // its code gets it). Consumed at sending, it was lost when the child died with the reply on its way.
            Loans ofCaller = lent.computeIfAbsent(request.caller(), caller -> new Loans());
            reply.setLentFrom(ofCaller.next);
            ofCaller.items.put(ofCaller.next++, head);
            lentCount++;
            long bytes = head.data.size();
            for (long i = 1; i < batch && !items.isEmpty(); i++) {
                // a batch stays well under any message limit: the head alone was checked against it at put
                bytes += items.peekFirst().data.size();
                if (bytes > MAX_LENT_BYTES) {
                    break;
                }
                Item next = items.pollFirst();
                ofCaller.items.put(ofCaller.next++, next);
                lentCount++;
                reply.addMore(next.data);
            }
        }
        request.reply().complete(reply.build());
        return true;
    }

    /**
     * Puts the elements numbered {@code from} to {@code from + count - 1} lent to {@code caller} (all of them if
     * {@code count} is negative) back at the head of the queue, in order; numbers no longer lent are skipped.
     */
    private void giveBack(String caller, long from, long count) {
        Loans ofCaller = lent.get(caller);
        if (ofCaller == null) {
            return;
        }
        List<Long> numbers = new ArrayList<>(ofCaller.items.keySet());
        for (int i = numbers.size() - 1; i >= 0; i--) {
            long number = numbers.get(i);
            if (count < 0 || (number >= from && number < from + count)) {
                items.addFirst(ofCaller.items.remove(number));
                lentCount--;
            }
        }
        if (ofCaller.items.isEmpty() && count < 0) {
            lent.remove(caller);
        }
    }

    /** Matches waiting takers with elements and waiting putters with free space, until neither can move. */
    private void serve() {
        boolean moved = true;
        while (moved) {
            moved = false;
            while (!items.isEmpty() && !takers.isEmpty()) {
                Waiters.Waiter taker = takers.peek();
                if (!taker.request.reply().isDone() && !mayTake(taker.request.caller())) {
                    break;   // first come, first served: nobody overtakes a taker waiting for lent elements
                }
                takers.poll();
                if (!taker.request.reply().isDone()) {
                    give(taker.request);
                    moved = true;
                }
            }
            while (items.size() + lentCount < capacity && !putters.isEmpty()) {
                Waiters.Waiter putter = putters.peek();
                if (putter.request.reply().isDone()) {
                    putters.poll(); // timed out or withdrawn
                    continue;
                }
                if (!hasRoom(putter.request.call().getData().size())) {
                    break; // first come, first served: the hub has no room for the oldest put yet
                }
                putters.poll();
                items.addLast(new Item((int) putter.request.call().getB(), putter.request.call().getData()));
                unfinished++;
                putter.request.ok(0);
                moved = true;
            }
        }
        if (closed && items.isEmpty() && lentCount == 0) {
            takers.failAll(Reply.Status.CLOSED, closedReason);   // the last lent element was consumed
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
        if (items.isEmpty() && lentCount == 0) {
            takers.failAll(Reply.Status.CLOSED, reason);
        }
        while (!readyWaiters.isEmpty()) {
            readyWaiters.poll().request.ok(1);
        }
    }

    @Override
    public synchronized void cancel(String caller, long callId) {
        takers.cancel(caller, callId);
        putters.cancel(caller, callId);
        readyWaiters.cancel(caller, callId);
        joiners.cancel(caller, callId);
    }

    @Override
    public synchronized void callerGone(String caller) {
        takers.callerGone(caller);
        putters.callerGone(caller);
        readyWaiters.callerGone(caller);
        joiners.callerGone(caller);
        giveBack(caller, 0, -1);
        serve();
    }

    @Override
    synchronized void close() {
        items.forEach(item -> hub.release(item.data.size()));
        items.clear();
        lent.values().forEach(loans -> loans.items.values().forEach(item -> hub.release(item.data.size())));
        lent.clear();
        lentCount = 0;
        String reason = "the queue's Context was closed";
        takers.failAll(Reply.Status.NO_SUCH_OBJECT, reason);
        putters.failAll(Reply.Status.NO_SUCH_OBJECT, reason);
        readyWaiters.failAll(Reply.Status.NO_SUCH_OBJECT, reason);
        joiners.failAll(Reply.Status.NO_SUCH_OBJECT, reason);
    }
}
