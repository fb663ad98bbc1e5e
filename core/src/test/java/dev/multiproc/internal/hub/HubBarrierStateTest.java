package dev.multiproc.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.internal.protocol.Call;
import dev.multiproc.internal.protocol.Op;
import dev.multiproc.internal.protocol.Reply;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The barrier's hub state, driven call by call as processes would drive it. */
class HubBarrierStateTest {
    private final Hub hub = new Hub(Long.MAX_VALUE);
    private long callIds;

    @AfterEach
    void close() {
        hub.close();
    }

    private CompletableFuture<Reply> call(String caller, long barrier, Op op, long b, long timeoutNanos) {
        return hub.dispatch(caller, Call.newBuilder().setCallId(++callIds).setObjectId(barrier).setOp(op).setB(b)
                .setThreadId(1).setTimeoutNanos(timeoutNanos).build());
    }

    private static Reply now(CompletableFuture<Reply> reply) throws Exception {
        return reply.get(1, TimeUnit.SECONDS);
    }

    @Test
    void theLastArrivalReleasesEveryPartyWithItsArrivalIndexAndTheNextTripStartsAfresh() throws Exception {
        long barrier = hub.register(new HubBarrierState(3, false));
        for (int trip = 0; trip < 2; trip++) {
            CompletableFuture<Reply> first = call("a", barrier, Op.BARRIER_AWAIT, 0, -1);
            CompletableFuture<Reply> second = call("b", barrier, Op.BARRIER_AWAIT, 0, -1);
            assertFalse(first.isDone() || second.isDone());
            assertEquals(2, now(call("x", barrier, Op.BARRIER_WAITING, 0, -1)).getValue());
            assertEquals(2, now(call("c", barrier, Op.BARRIER_AWAIT, 0, -1)).getValue());
            assertEquals(0, now(first).getValue());
            assertEquals(1, now(second).getValue());
        }
    }

    @Test
    void theActionRunsBeforeAnyoneIsReleasedAndAFailedOneBreaksTheBarrier() throws Exception {
        long barrier = hub.register(new HubBarrierState(2, true));
        CompletableFuture<Reply> first = call("a", barrier, Op.BARRIER_AWAIT, 0, TimeUnit.MILLISECONDS.toNanos(20));
        Reply last = now(call("b", barrier, Op.BARRIER_AWAIT, 0, -1));
        assertEquals(HubBarrierState.RUN_ACTION | 1, last.getValue());
        CompletableFuture<Reply> reset = call("x", barrier, Op.BARRIER_RESET, 0, -1);
        Thread.sleep(60); // first's timeout passes while the action runs: the trip is decided, it does not break
        assertFalse(first.isDone() || reset.isDone(), "released, or reset, before the action was done");
        now(call("b", barrier, Op.BARRIER_ACTION_DONE, 0, -1));
        assertEquals(Reply.Status.OK, now(first).getStatus());
        assertEquals(0, now(first).getValue());
        now(reset);

        CompletableFuture<Reply> waiting = call("a", barrier, Op.BARRIER_AWAIT, 0, -1);
        now(call("b", barrier, Op.BARRIER_AWAIT, 0, -1));
        now(call("b", barrier, Op.BARRIER_ACTION_DONE, 1, -1));
        assertEquals(Reply.Status.ILLEGAL_STATE, now(waiting).getStatus());
        assertTrue(now(waiting).getError().contains("action threw"), now(waiting).getError());
    }

    @Test
    void aTimeoutBreaksTheBarrierForEveryoneUntilReset() throws Exception {
        long barrier = hub.register(new HubBarrierState(3, false));
        CompletableFuture<Reply> patient = call("a", barrier, Op.BARRIER_AWAIT, 0, -1);
        assertEquals(Reply.Status.TIMED_OUT, now(call("b", barrier, Op.BARRIER_AWAIT, 0,
                TimeUnit.MILLISECONDS.toNanos(20))).getStatus());
        assertEquals(Reply.Status.ILLEGAL_STATE, now(patient).getStatus());
        assertEquals(1, now(call("x", barrier, Op.BARRIER_BROKEN, 0, -1)).getValue());
        assertEquals(Reply.Status.ILLEGAL_STATE, now(call("c", barrier, Op.BARRIER_AWAIT, 0, -1)).getStatus());
        now(call("x", barrier, Op.BARRIER_RESET, 0, -1));
        assertEquals(0, now(call("x", barrier, Op.BARRIER_BROKEN, 0, -1)).getValue());
    }

    @Test
    void aDeadPartyOrActionRunnerBreaksTheBarrier() throws Exception {
        long barrier = hub.register(new HubBarrierState(3, false));
        CompletableFuture<Reply> live = call("live", barrier, Op.BARRIER_AWAIT, 0, -1);
        call("dead", barrier, Op.BARRIER_AWAIT, 0, -1);
        hub.callerGone("dead");
        assertEquals(Reply.Status.ILLEGAL_STATE, now(live).getStatus());

        long withAction = hub.register(new HubBarrierState(2, true));
        CompletableFuture<Reply> other = call("live", withAction, Op.BARRIER_AWAIT, 0, -1);
        now(call("runner", withAction, Op.BARRIER_AWAIT, 0, -1));
        hub.callerGone("runner");
        assertEquals(Reply.Status.ILLEGAL_STATE, now(other).getStatus());
        assertTrue(now(other).getError().contains("action"), now(other).getError());
    }

    @Test
    void anInterruptedPartyBreaksTheBarrier() throws Exception {
        long barrier = hub.register(new HubBarrierState(3, false));
        CompletableFuture<Reply> other = call("a", barrier, Op.BARRIER_AWAIT, 0, -1);
        CompletableFuture<Reply> interrupted = call("b", barrier, Op.BARRIER_AWAIT, 0, -1);
        hub.cancel("b", barrier, callIds);
        assertEquals(Reply.Status.CANCELLED, now(interrupted).getStatus());
        assertEquals(Reply.Status.ILLEGAL_STATE, now(other).getStatus());
    }
}
