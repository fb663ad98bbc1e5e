package dev.multiproc.internal.handle;

import dev.multiproc.SharedEvent;
import dev.multiproc.SharedLock;
import dev.multiproc.SharedSemaphore;
import dev.multiproc.internal.protocol.Op;
import dev.multiproc.internal.protocol.Reply;
import dev.multiproc.spi.LockWaits;
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
            try {
                acquire(false, FOREVER);
            } catch (InterruptedException e) {
                throw new AssertionError("uninterruptible call was interrupted", e);
            }
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            acquire(true, FOREVER);
        }

        @Override
        public boolean tryLock() {
            try {
                return acquire(true, 0);
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
            return acquire(true, nanos(timeout, unit));
        }

        /**
         * Asks the hub for the lock and waits, timed as a JFR {@code LockWait} ({@link LockWaits}).
         *
         * @param interruptible false for {@code lock()}, which must not be abandoned once asked
         * @param timeoutNanos how long to wait: {@link #FOREVER}, 0 (do not wait) or nanoseconds
         * @return whether it acquired the lock (false: the timeout passed)
         * @throws InterruptedException if interruptible, interrupted, and the request was withdrawn
         */
        private boolean acquire(boolean interruptible, long timeoutNanos) throws InterruptedException {
            Object wait = LockWaits.begin();
            boolean acquired = false;
            try {
                Reply reply = interruptible ? await(Op.LOCK_ACQUIRE, 0, 0, null, timeoutNanos)
                        : now(Op.LOCK_ACQUIRE, 0, 0, null);
                acquired = ok(reply).getStatus() == Reply.Status.OK;
                return acquired;
            } finally {
                // FOREVER (-1) is LockWaits' NO_TIMEOUT
                LockWaits.end(wait, describe(), acquired, timeoutNanos);
            }
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
        public int getHoldCount() {
            return (int) nowValue(Op.LOCK_HOLDS, 0, 0);
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
