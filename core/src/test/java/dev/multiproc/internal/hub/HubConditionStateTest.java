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

/** The condition's hub state, driven call by call as processes would drive it. */
class HubConditionStateTest {
    private final Hub hub = new Hub(Long.MAX_VALUE);
    private final long condition = hub.register(new HubConditionState());
    private long callIds;

    @AfterEach
    void close() {
        hub.close();
    }

    private CompletableFuture<Reply> call(String caller, Op op, long a, long timeoutNanos) {
        return hub.dispatch(caller, Call.newBuilder().setCallId(++callIds).setObjectId(condition).setOp(op).setA(a)
                .setTimeoutNanos(timeoutNanos).build());
    }

    private long enter(String caller) throws Exception {
        return call(caller, Op.CONDITION_ENTER, 0, -1).get(1, TimeUnit.SECONDS).getValue();
    }

    @Test
    void aSignalBetweenRegisteringAndWaitingIsKeptForTheWaiter() throws Exception {
        long ticket = enter("a");
        // "a" has released the lock; "b" takes it and signals before a's wait reaches the hub
        assertEquals(1, call("b", Op.CONDITION_SIGNAL, 0, -1).get(1, TimeUnit.SECONDS).getValue());
        Reply woken = call("a", Op.CONDITION_WAIT, ticket, -1).get(1, TimeUnit.SECONDS);
        assertEquals(Reply.Status.OK, woken.getStatus());
    }

    @Test
    void signalWakesTheLongestWaitingOnlyAndSignalAllTheRest() throws Exception {
        CompletableFuture<Reply> a = call("a", Op.CONDITION_WAIT, enter("a"), -1);
        CompletableFuture<Reply> b = call("b", Op.CONDITION_WAIT, enter("b"), -1);
        CompletableFuture<Reply> c = call("c", Op.CONDITION_WAIT, enter("c"), -1);
        call("p", Op.CONDITION_SIGNAL, 0, -1).get(1, TimeUnit.SECONDS);
        assertTrue(a.isDone());
        assertFalse(b.isDone() || c.isDone());
        assertEquals(2, call("p", Op.CONDITION_SIGNAL_ALL, 0, -1).get(1, TimeUnit.SECONDS).getValue());
        assertTrue(b.isDone() && c.isDone());
    }

    /**
     * A waiter signalled just before its process was seen dead (it never took the lock again nor said done) passes
     * the signal to the next waiter; one that said done keeps it, and one woken by signalAll passes nothing on.
     */
    @Test
    void aDeadWaitersSignalGoesToTheNextWaiter() throws Exception {
        CompletableFuture<Reply> dead = call("dead", Op.CONDITION_WAIT, enter("dead"), -1);
        CompletableFuture<Reply> live = call("live", Op.CONDITION_WAIT, enter("live"), -1);
        call("p", Op.CONDITION_SIGNAL, 0, -1).get(1, TimeUnit.SECONDS);
        assertTrue(dead.isDone());
        assertFalse(live.isDone());
        hub.callerGone("dead");
        assertEquals(Reply.Status.OK, live.get(1, TimeUnit.SECONDS).getStatus(), "the dead waiter ate the signal");

        long doneTicket = enter("finished");
        call("p", Op.CONDITION_SIGNAL, 0, -1).get(1, TimeUnit.SECONDS);
        call("finished", Op.CONDITION_WAIT, doneTicket, -1).get(1, TimeUnit.SECONDS);
        call("finished", Op.CONDITION_DONE, doneTicket, -1).get(1, TimeUnit.SECONDS);
        CompletableFuture<Reply> other = call("other", Op.CONDITION_WAIT, enter("other"), -1);
        hub.callerGone("finished");
        assertFalse(other.isDone(), "a waiter that had acted on its signal passed it on");

        long all = enter("woken-by-all");
        call("p", Op.CONDITION_SIGNAL_ALL, 0, -1).get(1, TimeUnit.SECONDS);
        assertTrue(other.isDone());
        CompletableFuture<Reply> late = call("late", Op.CONDITION_WAIT, enter("late"), -1);
        hub.callerGone("woken-by-all");
        assertFalse(late.isDone(), "a signalAll was passed on: " + all);
    }

    @Test
    void aTimedOutOrCancelledWaiterIsForgottenAndTakesNoSignal() throws Exception {
        long timed = enter("t");
        assertEquals(Reply.Status.TIMED_OUT, call("t", Op.CONDITION_WAIT, timed, TimeUnit.MILLISECONDS.toNanos(20))
                .get(1, TimeUnit.SECONDS).getStatus());
        long cancelled = enter("c");
        CompletableFuture<Reply> wait = call("c", Op.CONDITION_WAIT, cancelled, -1);
        hub.cancel("c", condition, callIds);
        assertEquals(Reply.Status.CANCELLED, wait.get(1, TimeUnit.SECONDS).getStatus());
        CompletableFuture<Reply> live = call("live", Op.CONDITION_WAIT, enter("live"), -1);
        call("p", Op.CONDITION_SIGNAL, 0, -1).get(1, TimeUnit.SECONDS);
        assertEquals(Reply.Status.OK, live.get(1, TimeUnit.SECONDS).getStatus());
    }
}
