package dev.multiproc.internal.handle;

import com.google.protobuf.ByteString;
import dev.multiproc.BarrierAction;
import dev.multiproc.SharedBarrier;
import dev.multiproc.internal.hub.HubBarrierState;
import dev.multiproc.internal.protocol.Op;
import dev.multiproc.internal.protocol.Reply;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A hub-backed {@link SharedBarrier}. The handle carries the barrier's action and default timeout, so that
 * whichever process arrives last can run the action; the hub ({@link HubBarrierState}) keeps the waiting parties.
 */
public final class HubBarrier extends HubHandle implements SharedBarrier {
    private static final long serialVersionUID = 1L;

    private final int parties;
    /** Run by the last party to arrive, or null. */
    private final BarrierAction action;
    /** The timeout of {@link #await()}: {@link #FOREVER} or nanoseconds. */
    private final long timeoutNanos;

    /**
     * @param contextId the context
     * @param objectId the barrier's {@link HubBarrierState}
     * @param parties how many parties trip it
     * @param action run by the last party, or null
     * @param timeoutNanos the timeout of {@link #await()}, or {@link #FOREVER}
     */
    public HubBarrier(String contextId, long objectId, int parties, BarrierAction action, long timeoutNanos) {
        super(contextId, objectId);
        this.parties = parties;
        this.action = action;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public int await() throws InterruptedException, BrokenBarrierException {
        try {
            return arrive(timeoutNanos);
        } catch (TimeoutException e) {
            // Python's wait() without a timeout of its own breaks the barrier and raises BrokenBarrierError
            BrokenBarrierException broken = new BrokenBarrierException(describe() + ": this party waited longer"
                    + " than the barrier's timeout of " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                    + " ms; the barrier is now broken");
            broken.initCause(e);
            throw broken;
        }
    }

    @Override
    public int await(long timeout, TimeUnit unit) throws InterruptedException, BrokenBarrierException,
            TimeoutException {
        return arrive(nanos(timeout, unit));
    }

    private int arrive(long timeout) throws InterruptedException, BrokenBarrierException, TimeoutException {
        if (Thread.interrupted()) {
            abort(); // as CyclicBarrier: a party interrupted on arrival breaks the barrier
            throw new InterruptedException("interrupted on arrival at " + describe() + ", which is now broken");
        }
        // an interrupt while waiting withdraws the wait, and the hub then breaks the barrier
        Reply reply = await(Op.BARRIER_AWAIT, 0, 0, null, timeout);
        switch (reply.getStatus()) {
            case TIMED_OUT -> throw new TimeoutException(describe() + ": the other parties did not all arrive within "
                    + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms; the barrier is now broken");
            case ILLEGAL_STATE -> throw new BrokenBarrierException(describe() + ": " + reply.getError());
            default -> ok(reply);
        }
        long value = reply.getValue();
        if ((value & HubBarrierState.RUN_ACTION) != 0) {
            runAction();
        }
        return (int) (value & ~HubBarrierState.RUN_ACTION);
    }

    /** Runs the action as the last party, then lets the hub release the others (or break the barrier). */
    private void runAction() {
        RuntimeException thrown = null;
        Error error = null;
        try {
            action.run();
        } catch (RuntimeException e) {
            thrown = e;
        } catch (Error e) {
            error = e;
        }
        Throwable failure = thrown != null ? thrown : error;
        ok(now(Op.BARRIER_ACTION_DONE, 0, failure == null ? 0 : 1,
                failure == null ? null : ByteString.copyFromUtf8(String.valueOf(failure))));
        if (thrown != null) {
            throw thrown;
        }
        if (error != null) {
            throw error;
        }
    }

    @Override
    public void abort() {
        nowValue(Op.BARRIER_ABORT, 0, 0);
    }

    @Override
    public void reset() {
        nowValue(Op.BARRIER_RESET, 0, 0);
    }

    @Override
    public boolean isBroken() {
        return nowValue(Op.BARRIER_BROKEN, 0, 0) == 1;
    }

    @Override
    public int getParties() {
        return parties;
    }

    @Override
    public int getNumberWaiting() {
        return (int) nowValue(Op.BARRIER_WAITING, 0, 0);
    }

    @Override
    String describe() {
        return "SharedBarrier#" + objectId + "(" + parties + " parties)";
    }
}
