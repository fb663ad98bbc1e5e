package dev.multiproc.internal.hub;

import dev.multiproc.internal.handle.HubHandle;
import dev.multiproc.internal.protocol.Reply;
import java.lang.System.Logger.Level;

/**
 * The hub's state of a lock: its owner (process and thread), hold count, and FIFO waiters. When the owning
 * process dies, the lock passes to the next waiter, with a warning: Python's lock would stay held forever.
 */
public final class HubLockState extends Hub.State {
    private static final System.Logger LOG = System.getLogger("dev.multiproc.lock");

    private final boolean reentrant;
    private final Waiters waiters = new Waiters(this);
    private String ownerProcess;
    private long ownerThread;
    private int holds;

    public HubLockState(boolean reentrant) {
        this.reentrant = reentrant;
    }

    @Override
    synchronized void handle(Hub.Request request) {
        switch (request.call().getOp()) {
            case LOCK_ACQUIRE -> acquire(request);
            case LOCK_RELEASE -> release(request);
            case LOCK_HELD -> request.ok(holds > 0 ? 1 : 0);
            case LOCK_HOLDS -> request.ok(holds > 0 && isOwner(request) ? holds : 0);
            default -> request.fail(Reply.Status.ILLEGAL_STATE, "not a lock operation: " + request.call().getOp().name());
        }
    }

    private void acquire(Hub.Request request) {
        if (holds == 0) {
            grant(request);
        } else if (isOwner(request)) {
            if (reentrant) {
                holds++;
                request.ok(holds);
            } else if (request.call().getTimeoutNanos() != HubHandle.FOREVER) {
                waiters.park(request);   // a try: it fails (at once, or when its time is up), as Python's does
            } else {
                request.fail(Reply.Status.ILLEGAL_STATE, "this thread already holds this non-reentrant lock; taking"
                        + " it again would deadlock (use Context.reentrantLock() for a reentrant one)");
            }
        } else {
            waiters.park(request);
        }
    }

    private void release(Hub.Request request) {
        if (holds == 0 || !isOwner(request)) {
            request.fail(Reply.Status.ILLEGAL_STATE, "the calling thread does not hold this lock");
            return;
        }
        holds--;
        request.ok(holds);
        if (holds == 0) {
            handOver();
        }
    }

    private boolean isOwner(Hub.Request request) {
        return request.caller().equals(ownerProcess) && request.call().getThreadId() == ownerThread;
    }

    private void grant(Hub.Request request) {
        ownerProcess = request.caller();
        ownerThread = request.call().getThreadId();
        holds = 1;
        request.ok(1);
    }

    private void handOver() {
        ownerProcess = null;
        while (!waiters.isEmpty()) {
            Waiters.Waiter next = waiters.poll();
            if (!next.request.reply().isDone()) {
                grant(next.request);
                return;
            }
        }
    }

    @Override
    public synchronized void cancel(String caller, long callId) {
        waiters.cancel(caller, callId);
    }

    @Override
    public synchronized void callerGone(String caller) {
        waiters.callerGone(caller);
        if (holds > 0 && caller.equals(ownerProcess)) {
            LOG.log(Level.WARNING, "A process (" + caller + ") died holding a shared lock; the lock is released."
                    + " The state it guarded may be half updated.");
            holds = 0;
            handOver();
        }
    }

    @Override
    synchronized void close() {
        waiters.failAll(Reply.Status.NO_SUCH_OBJECT, "the lock's Context was closed");
    }
}
