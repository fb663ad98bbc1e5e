package dev.multiproc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.protobuf.ByteString;
import dev.multiproc.internal.protocol.Call;
import dev.multiproc.internal.protocol.Op;
import dev.multiproc.internal.protocol.Reply;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HubQueueStateTest {
    private final Hub hub = new Hub();
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
