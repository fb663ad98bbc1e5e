package dev.multiproc.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.protobuf.ByteString;
import dev.multiproc.internal.protocol.Call;
import dev.multiproc.internal.protocol.Op;
import dev.multiproc.internal.protocol.Reply;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HubQueueStateTest {
    private final Hub hub = new Hub(Long.MAX_VALUE);
    private long callIds;

    @AfterEach
    void close() {
        hub.close();
    }

    private CompletableFuture<Reply> call(String caller, long object, Op op, long a, long b, String data,
            long timeoutNanos) {
        Call.Builder call = Call.newBuilder().setCallId(++callIds).setObjectId(object).setOp(op).setA(a).setB(b)
                .setTimeoutNanos(timeoutNanos);
        if (data != null) {
            call.setData(ByteString.copyFromUtf8(data));
        }
        return hub.dispatch(caller, call.build());
    }

    @Test
    void waitingTakerGetsTheNextPutInOrder() throws Exception {
        long queue = hub.register(new HubQueueState(Integer.MAX_VALUE));
        CompletableFuture<Reply> first = call("a", queue, Op.QUEUE_TAKE, 0, 0, null, -1);
        CompletableFuture<Reply> second = call("b", queue, Op.QUEUE_TAKE, 0, 0, null, -1);
        assertFalse(first.isDone());
        call("c", queue, Op.QUEUE_PUT, 0, HubQueueState.KIND_OBJECT, "x", -1).get(1, TimeUnit.SECONDS);
        call("c", queue, Op.QUEUE_PUT, 0, HubQueueState.KIND_OBJECT, "y", -1).get(1, TimeUnit.SECONDS);
        assertEquals("x", first.get(1, TimeUnit.SECONDS).getData().toStringUtf8());
        assertEquals("y", second.get(1, TimeUnit.SECONDS).getData().toStringUtf8());
    }

    private long queueOf(int capacity, int elements) throws Exception {
        long queue = hub.register(new HubQueueState(capacity));
        for (int i = 0; i < elements; i++) {
            call("p", queue, Op.QUEUE_PUT, 0, HubQueueState.KIND_OBJECT, "e" + i, -1).get(1, TimeUnit.SECONDS);
        }
        return queue;
    }

    private String take(String caller, long queue) throws Exception {
        return call(caller, queue, Op.QUEUE_TAKE, 0, 0, null, 0).get(1, TimeUnit.SECONDS).getData().toStringUtf8();
    }

    @Test
    void batchTakeLendsFurtherElementsInOrderAndCountsThemInSize() throws Exception {
        long queue = queueOf(Integer.MAX_VALUE, 10);
        Reply reply = call("c", queue, Op.QUEUE_TAKE, 0, 4, null, -1).get(1, TimeUnit.SECONDS);
        assertEquals("e0", reply.getData().toStringUtf8());
        assertEquals(List.of("e1", "e2", "e3"), reply.getMoreList().stream().map(ByteString::toStringUtf8).toList());
        assertEquals(0, reply.getLentFrom(), "the head is lent too, as loan 0; more[i] is loan 1 + i");
        assertEquals(10, call("x", queue, Op.QUEUE_SIZE, 0, 0, null, -1).get().getValue());
        call("c", queue, Op.QUEUE_CONSUMED, 0, 0, null, -1).get();
        assertEquals(9, call("x", queue, Op.QUEUE_SIZE, 0, 0, null, -1).get().getValue());
        call("c", queue, Op.QUEUE_CONSUMED, 1, 0, null, -1).get();
        assertEquals(8, call("x", queue, Op.QUEUE_SIZE, 0, 0, null, -1).get().getValue());
    }

    @Test
    void otherTakersWaitForElementsLentElsewhereSoTheQueueStaysFifo() throws Exception {
        long queue = queueOf(Integer.MAX_VALUE, 10);
        call("c", queue, Op.QUEUE_TAKE, 0, 4, null, -1).get(1, TimeUnit.SECONDS);   // e0..e3, loans 0..3
        assertEquals(Reply.Status.TIMED_OUT, call("other", queue, Op.QUEUE_TAKE, 0, 0, null, 0).get().getStatus());
        CompletableFuture<Reply> waiting = call("other", queue, Op.QUEUE_TAKE, 0, 0, null, -1);
        call("c", queue, Op.QUEUE_CONSUMED, 0, 0, null, -1).get();                 // e0 (loan 0) seen
        call("c", queue, Op.QUEUE_CONSUMED, 1, 0, null, -1).get();                 // e1 (loan 1) seen
        call("c", queue, Op.QUEUE_CONSUMED, 2, 0, null, -1).get();                 // e2 (loan 2) seen
        assertFalse(waiting.isDone());
        call("c", queue, Op.QUEUE_RETURN, 3, 1, null, -1).get();                   // e3 (loan 3) back
        assertEquals("e3", waiting.get(1, TimeUnit.SECONDS).getData().toStringUtf8());
        assertEquals("e4", take("other", queue));
    }

    @Test
    void closedQueueFailsTakersOnlyOnceTheLastLentElementIsConsumed() throws Exception {
        long queue = queueOf(Integer.MAX_VALUE, 2);
        call("c", queue, Op.QUEUE_TAKE, 0, 4, null, -1).get(1, TimeUnit.SECONDS);   // e0, e1 (loans 0, 1)
        call("x", queue, Op.QUEUE_CLOSE, 0, 0, null, -1).get();
        CompletableFuture<Reply> waiting = call("other", queue, Op.QUEUE_TAKE, 0, 0, null, -1);
        assertFalse(waiting.isDone());
        call("c", queue, Op.QUEUE_CONSUMED, 0, 0, null, -1).get();
        assertFalse(waiting.isDone());
        call("c", queue, Op.QUEUE_CONSUMED, 1, 0, null, -1).get();
        assertEquals(Reply.Status.CLOSED, waiting.get(1, TimeUnit.SECONDS).getStatus());
    }

    @Test
    void elementsLentToADeadProcessGoBackToTheHeadInOrder() throws Exception {
        long queue = queueOf(Integer.MAX_VALUE, 10);
        call("c", queue, Op.QUEUE_TAKE, 0, 8, null, -1).get(1, TimeUnit.SECONDS);   // e0..e7, loans 0..7
        call("c", queue, Op.QUEUE_CONSUMED, 0, 0, null, -1).get();                 // e0 seen
        call("c", queue, Op.QUEUE_CONSUMED, 2, 0, null, -1).get();                 // e2 seen (reports may
        call("c", queue, Op.QUEUE_CONSUMED, 1, 0, null, -1).get();                 // e1 seen  cross)
        hub.callerGone("c");
        for (String expected : List.of("e3", "e4", "e5", "e6", "e7", "e8", "e9")) {
            assertEquals(expected, take("other", queue));
        }
        assertEquals(Reply.Status.TIMED_OUT, call("other", queue, Op.QUEUE_TAKE, 0, 0, null, 0).get().getStatus());
    }

    @Test
    void givenBackElementsGoToTheHeadAndWakeAWaitingTaker() throws Exception {
        long queue = queueOf(Integer.MAX_VALUE, 3);
        call("c", queue, Op.QUEUE_TAKE, 0, 8, null, -1).get(1, TimeUnit.SECONDS);   // e0, e1, e2 (loans 0..2)
        CompletableFuture<Reply> waiting = call("other", queue, Op.QUEUE_TAKE, 0, 0, null, -1);
        assertFalse(waiting.isDone());
        call("c", queue, Op.QUEUE_CONSUMED, 0, 0, null, -1).get();                 // e0 (loan 0) seen
        call("c", queue, Op.QUEUE_CONSUMED, 1, 0, null, -1).get();                 // e1 (loan 1) seen
        call("c", queue, Op.QUEUE_RETURN, 2, 1, null, -1).get();                   // e2 (loan 2) back
        assertEquals("e2", waiting.get(1, TimeUnit.SECONDS).getData().toStringUtf8());
        assertEquals(0, call("x", queue, Op.QUEUE_SIZE, 0, 0, null, -1).get().getValue());
    }

    @Test
    void aGiveBackThatArrivesAfterALaterBatchReturnsTheElementsItNames() throws Exception {
        long queue = queueOf(Integer.MAX_VALUE, 10);
        call("c", queue, Op.QUEUE_TAKE, 0, 3, null, -1).get(1, TimeUnit.SECONDS);   // e0, e1, e2 (0..2)
        call("c", queue, Op.QUEUE_CONSUMED, 0, 0, null, -1).get();                 // e0 seen
        Reply second = call("c", queue, Op.QUEUE_TAKE, 0, 3, null, -1).get(1, TimeUnit.SECONDS);   // e3, e4, e5
        assertEquals(3, second.getLentFrom());
        call("c", queue, Op.QUEUE_RETURN, 1, 2, null, -1).get();                   // e1, e2 back, sent before
        call("c", queue, Op.QUEUE_CONSUMED, 3, 0, null, -1).get();                 // the second take's reply came
        call("c", queue, Op.QUEUE_CONSUMED, 4, 0, null, -1).get();
        call("c", queue, Op.QUEUE_CONSUMED, 5, 0, null, -1).get();
        for (String expected : List.of("e1", "e2", "e6", "e7", "e8", "e9")) {
            assertEquals(expected, take("other", queue));
        }
        assertEquals(0, call("x", queue, Op.QUEUE_SIZE, 0, 0, null, -1).get().getValue());
    }

    @Test
    void lentElementsCountAgainstABoundedQueuesCapacity() throws Exception {
        long queue = queueOf(3, 3);
        call("c", queue, Op.QUEUE_TAKE, 0, 8, null, -1).get(1, TimeUnit.SECONDS);   // e0, e1, e2 all lent
        assertEquals(Reply.Status.TIMED_OUT, call("p", queue, Op.QUEUE_PUT, 0, 1, "e3", 0).get().getStatus());
        call("c", queue, Op.QUEUE_CONSUMED, 0, 0, null, -1).get();                 // e0 seen: room for one
        assertEquals(Reply.Status.OK, call("p", queue, Op.QUEUE_PUT, 0, 1, "e3", 0).get().getStatus());
        assertEquals(Reply.Status.TIMED_OUT, call("p", queue, Op.QUEUE_PUT, 0, 1, "e4", 0).get().getStatus());
        CompletableFuture<Reply> putter = call("p", queue, Op.QUEUE_PUT, 0, 1, "e4", -1);
        assertFalse(putter.isDone());
        call("c", queue, Op.QUEUE_CONSUMED, 1, 0, null, -1).get();
        assertEquals(Reply.Status.OK, putter.get(1, TimeUnit.SECONDS).getStatus());
    }

    /**
     * The element a child's take returns is lent too, until the child reports it seen: a child killed while the
     * reply was on its way (or before its code got the element) gives it back, instead of losing it.
     */
    @Test
    void theElementATakeReturnsIsLentUntilReportedSoADeadTakerLosesNothing() throws Exception {
        long queue = queueOf(Integer.MAX_VALUE, 2);
        Reply reply = call("c", queue, Op.QUEUE_TAKE, 0, 1, null, -1).get(1, TimeUnit.SECONDS);
        assertEquals("e0", reply.getData().toStringUtf8());
        assertEquals(0, reply.getMoreCount());
        hub.callerGone("c");                                                        // died before reporting e0
        assertEquals("e0", take("other", queue));
        assertEquals("e1", take("other", queue));
    }

    @Test
    void theParentIsNeverLentElements() throws Exception {
        long queue = queueOf(Integer.MAX_VALUE, 3);
        Reply reply = call(Hub.PARENT, queue, Op.QUEUE_TAKE, 0, 8, null, -1).get(1, TimeUnit.SECONDS);
        assertEquals(0, reply.getMoreCount());
        assertEquals(2, call("x", queue, Op.QUEUE_SIZE, 0, 0, null, -1).get().getValue());
    }

    @Test
    void boundedQueueParksPutterUntilSpace() throws Exception {
        long queue = hub.register(new HubQueueState(1));
        assertEquals(Reply.Status.OK, call("a", queue, Op.QUEUE_PUT, 0, 1, "1", -1).get().getStatus());
        assertEquals(Reply.Status.TIMED_OUT, call("a", queue, Op.QUEUE_PUT, 0, 1, "2", 0).get().getStatus());
        CompletableFuture<Reply> blocked = call("a", queue, Op.QUEUE_PUT, 0, 1, "3", -1);
        assertFalse(blocked.isDone());
        assertEquals("1", call("b", queue, Op.QUEUE_TAKE, 0, 0, null, -1).get().getData().toStringUtf8());
        assertEquals(Reply.Status.OK, blocked.get(1, TimeUnit.SECONDS).getStatus());
        assertEquals("3", call("b", queue, Op.QUEUE_TAKE, 0, 0, null, -1).get().getData().toStringUtf8());
    }

    @Test
    void timedTakeTimesOut() throws Exception {
        long queue = hub.register(new HubQueueState(Integer.MAX_VALUE));
        Reply reply = call("a", queue, Op.QUEUE_TAKE, 0, 0, null, TimeUnit.MILLISECONDS.toNanos(50))
                .get(5, TimeUnit.SECONDS);
        assertEquals(Reply.Status.TIMED_OUT, reply.getStatus());
    }

    @Test
    void closeDrainsThenReportsClosed() throws Exception {
        long queue = hub.register(new HubQueueState(Integer.MAX_VALUE));
        call("a", queue, Op.QUEUE_PUT, 0, 1, "last", -1).get();
        call("a", queue, Op.QUEUE_CLOSE, 0, 0, null, -1).get();
        assertEquals(Reply.Status.CLOSED, call("a", queue, Op.QUEUE_PUT, 0, 1, "late", -1).get().getStatus());
        assertEquals("last", call("b", queue, Op.QUEUE_TAKE, 0, 0, null, -1).get().getData().toStringUtf8());
        assertEquals(Reply.Status.CLOSED, call("b", queue, Op.QUEUE_TAKE, 0, 0, null, -1).get().getStatus());
    }

    @Test
    void takeOfTheWrongKindKeepsTheElement() throws Exception {
        long queue = hub.register(new HubQueueState(Integer.MAX_VALUE));
        call("a", queue, Op.QUEUE_PUT, 0, HubQueueState.KIND_BYTES, "raw", -1).get();
        assertEquals(Reply.Status.ILLEGAL_STATE,
                call("b", queue, Op.QUEUE_TAKE, HubQueueState.KIND_OBJECT, 0, null, -1).get().getStatus());
        assertEquals("raw", call("b", queue, Op.QUEUE_TAKE, HubQueueState.KIND_BYTES, 0, null, -1).get()
                .getData().toStringUtf8());
    }

    @Test
    void lockOfADeadProcessPassesToTheNextWaiter() throws Exception {
        long lock = hub.register(new HubLockState(false));
        assertEquals(Reply.Status.OK, call("dying", lock, Op.LOCK_ACQUIRE, 0, 0, null, -1).get().getStatus());
        CompletableFuture<Reply> waiter = call("next", lock, Op.LOCK_ACQUIRE, 0, 0, null, -1);
        assertFalse(waiter.isDone());
        hub.callerGone("dying");
        assertEquals(Reply.Status.OK, waiter.get(1, TimeUnit.SECONDS).getStatus());
    }

    @Test
    void cancelledLockWaiterIsNotGrantedLater() throws Exception {
        long lock = hub.register(new HubLockState(false));
        call("a", lock, Op.LOCK_ACQUIRE, 0, 0, null, -1).get();
        CompletableFuture<Reply> waiter = call("b", lock, Op.LOCK_ACQUIRE, 0, 0, null, -1);
        hub.cancel("b", lock, callIds);
        assertEquals(Reply.Status.CANCELLED, waiter.get(1, TimeUnit.SECONDS).getStatus());
        call("a", lock, Op.LOCK_RELEASE, 0, 0, null, -1).get();
        assertEquals(0, call("c", lock, Op.LOCK_HELD, 0, 0, null, -1).get().getValue());
    }
}
