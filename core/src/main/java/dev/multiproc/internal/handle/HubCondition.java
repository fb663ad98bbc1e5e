package dev.multiproc.internal.handle;

import dev.multiproc.SharedCondition;
import dev.multiproc.SharedLock;
import dev.multiproc.internal.hub.HubConditionState;
import dev.multiproc.internal.protocol.Op;
import dev.multiproc.internal.protocol.Reply;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A hub-backed {@link SharedCondition} bound to any {@link SharedLock}, the hub's or a transport's own. The hub
 * ({@link HubConditionState}) keeps the waiters; why registering before releasing the lock loses no signal, and
 * why a dead waiter eats none, is explained there.
 */
public final class HubCondition extends HubHandle implements SharedCondition {
    private static final long serialVersionUID = 1L;

    private final SharedLock lock;

    /**
     * @param contextId the context
     * @param objectId the condition's {@link HubConditionState}
     * @param lock the lock it is bound to
     */
    public HubCondition(String contextId, long objectId, SharedLock lock) {
        super(contextId, objectId);
        this.lock = lock;
    }

    @Override
    public SharedLock lock() {
        return lock;
    }

    @Override
    public void await() throws InterruptedException {
        waitForSignal(FOREVER, true);
    }

    @Override
    public void awaitUninterruptibly() {
        try {
            waitForSignal(FOREVER, false);
        } catch (InterruptedException e) {
            throw new AssertionError("an uninterruptible wait was interrupted", e);
        }
    }

    @Override
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return waitForSignal(nanos(timeout, unit), true);
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long start = System.nanoTime();
        boolean signalled = waitForSignal(Math.max(0, nanosTimeout), true);
        long left = nanosTimeout - (System.nanoTime() - start);
        return signalled ? Math.max(1, left) : Math.min(0, left);
    }

    @Override
    @SuppressWarnings("JavaUtilDate") // Condition's own signature
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        return waitForSignal(nanos(deadline.getTime() - System.currentTimeMillis(), TimeUnit.MILLISECONDS), true);
    }

    @Override
    public void awaitUntil(BooleanSupplier predicate) throws InterruptedException {
        checkHeld();
        while (!predicate.getAsBoolean()) {
            waitForSignal(FOREVER, true);
        }
    }

    @Override
    public boolean awaitUntil(BooleanSupplier predicate, long timeout, TimeUnit unit) throws InterruptedException {
        checkHeld();
        long deadline = System.nanoTime() + nanos(timeout, unit);
        boolean result = predicate.getAsBoolean();
        while (!result) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            waitForSignal(left, true);
            result = predicate.getAsBoolean();
        }
        return result;
    }

    @Override
    public void signal() {
        checkHeld();
        nowValue(Op.CONDITION_SIGNAL, 0, 0);
    }

    @Override
    public void signalAll() {
        checkHeld();
        nowValue(Op.CONDITION_SIGNAL_ALL, 0, 0);
    }

    private void checkHeld() {
        if (!lock.isHeldByCurrentThread()) {
            throw notHeld();
        }
    }

    private IllegalMonitorStateException notHeld() {
        return new IllegalMonitorStateException(describe() + ": the calling thread does not hold the condition's lock"
                + " (" + lock + ")");
    }

    /**
     * Registers as a waiter, releases the lock (every hold of this thread), waits for a signal, takes the lock
     * again as many times and reports the wait done: see {@link HubConditionState} for why in this order.
     *
     * @param timeoutNanos {@link #FOREVER} or nanoseconds
     * @param interruptible whether an interrupt ends the wait (the lock is taken again before it is thrown)
     * @return true if signalled, false if the time ran out
     */
    private boolean waitForSignal(long timeoutNanos, boolean interruptible) throws InterruptedException {
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException("interrupted before waiting on " + describe());
        }
        int holds = lock.getHoldCount();
        if (holds == 0) {
            throw notHeld();
        }
        long ticket = nowValue(Op.CONDITION_ENTER, 0, 0);
        int released = 0;
        try {
            for (; released < holds; released++) {
                lock.unlock();
            }
            Reply reply = interruptible ? await(Op.CONDITION_WAIT, ticket, 0, null, timeoutNanos)
                    : now(Op.CONDITION_WAIT, ticket, 0, null);
            return ok(reply).getStatus() == Reply.Status.OK;
        } finally {
            // lock() is not interruptible: the lock is held again on every way out, as Condition requires
            for (int i = 0; i < released; i++) {
                lock.lock();
            }
            tell(Op.CONDITION_DONE, ticket, 0);
        }
    }

    @Override
    String describe() {
        return "SharedCondition#" + objectId;
    }
}
