package dev.multiproc.internal.handle;

import dev.multiproc.SharedEvent;
import dev.multiproc.SharedLock;
import dev.multiproc.SharedSemaphore;
import dev.multiproc.internal.protocol.Op;
import dev.multiproc.internal.protocol.Reply;
import java.util.concurrent.TimeUnit;

/** Hub-backed locks, semaphores and events. */
public final class HubSync {
    private HubSync() {
    }

    public static final class LockHandle extends HubHandle implements SharedLock {
        private static final long serialVersionUID = 1L;
        private final boolean reentrant;

        public LockHandle(String contextId, long objectId, boolean reentrant) {
            super(contextId, objectId);
            this.reentrant = reentrant;
        }

        @Override
        public void lock() {
            ok(now(Op.LOCK_ACQUIRE, 0, 0, null));
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            ok(await(Op.LOCK_ACQUIRE, 0, 0, null, FOREVER));
        }

        @Override
        public boolean tryLock() {
            try {
                return ok(await(Op.LOCK_ACQUIRE, 0, 0, null, 0)).getStatus() == Reply.Status.OK;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return ok(await(Op.LOCK_ACQUIRE, 0, 0, null, nanos(timeout, unit))).getStatus() == Reply.Status.OK;
        }

        @Override
        public void unlock() {
            Reply reply = now(Op.LOCK_RELEASE, 0, 0, null);
            if (reply.getStatus() == Reply.Status.ILLEGAL_STATE) {
                throw new IllegalMonitorStateException(describe() + ": " + reply.getError());
            }
            ok(reply);
        }

        @Override
        public boolean isLocked() {
            return nowValue(Op.LOCK_HELD, 0, 0) == 1;
        }

        @Override
        public boolean isReentrant() {
            return reentrant;
        }

        @Override
        String describe() {
            return (reentrant ? "reentrant SharedLock#" : "SharedLock#") + objectId;
        }
    }

    public static final class SemaphoreHandle extends HubHandle implements SharedSemaphore {
        private static final long serialVersionUID = 1L;

        public SemaphoreHandle(String contextId, long objectId) {
            super(contextId, objectId);
        }

        @Override
        public void acquire() throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            ok(await(Op.SEMAPHORE_ACQUIRE, 0, 0, null, FOREVER));
        }

        @Override
        public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return ok(await(Op.SEMAPHORE_ACQUIRE, 0, 0, null, nanos(timeout, unit))).getStatus()
                    == Reply.Status.OK;
        }

        @Override
        public boolean tryAcquire() {
            try {
                return tryAcquire(0, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public void release() {
            nowValue(Op.SEMAPHORE_RELEASE, 0, 0);
        }

        @Override
        public int availablePermits() {
            return (int) nowValue(Op.SEMAPHORE_AVAILABLE, 0, 0);
        }

        @Override
        String describe() {
            return "SharedSemaphore#" + objectId;
        }
    }

    public static final class EventHandle extends HubHandle implements SharedEvent {
        private static final long serialVersionUID = 1L;

        public EventHandle(String contextId, long objectId) {
            super(contextId, objectId);
        }

        @Override
        public void set() {
            nowValue(Op.EVENT_SET, 0, 0);
        }

        @Override
        public void clear() {
            nowValue(Op.EVENT_CLEAR, 0, 0);
        }

        @Override
        public boolean isSet() {
            return nowValue(Op.EVENT_IS_SET, 0, 0) == 1;
        }

        @Override
        public void await() throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            ok(await(Op.EVENT_WAIT, 0, 0, null, FOREVER));
        }

        @Override
        public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return ok(await(Op.EVENT_WAIT, 0, 0, null, nanos(timeout, unit))).getStatus() == Reply.Status.OK;
        }

        @Override
        String describe() {
            return "SharedEvent#" + objectId;
        }
    }
}
