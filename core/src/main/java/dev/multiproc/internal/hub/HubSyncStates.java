package dev.multiproc.internal.hub;

import dev.multiproc.internal.protocol.Reply;

/** The hub's state of semaphores and events. */
public final class HubSyncStates {
    private HubSyncStates() {
    }

    /** Permits and FIFO waiters. Permits are not owned, so a dead process's permits are not returned. */
    public static final class SemaphoreState extends Hub.State {
        private final Waiters waiters = new Waiters(this);
        private long permits;

        public SemaphoreState(int permits) {
            this.permits = permits;
        }

        @Override
        synchronized void handle(Hub.Request request) {
            switch (request.call().getOp()) {
                case SEMAPHORE_ACQUIRE -> {
                    if (permits > 0 && waiters.isEmpty()) {
                        permits--;
                        request.ok(1);
                    } else {
                        waiters.park(request);
                    }
                }
                case SEMAPHORE_RELEASE -> {
                    permits++;
                    while (permits > 0 && !waiters.isEmpty()) {
                        Waiters.Waiter next = waiters.poll();
                        if (!next.request.reply().isDone()) {
                            permits--;
                            next.request.ok(1);
                        }
                    }
                    request.ok(0);
                }
                case SEMAPHORE_AVAILABLE -> request.ok(permits);
                default -> request.fail(Reply.Status.ILLEGAL_STATE, "not a semaphore operation: "
                        + request.call().getOp().name());
            }
        }

        @Override
        public synchronized void cancel(String caller, long callId) {
            waiters.cancel(caller, callId);
        }

        @Override
        public synchronized void callerGone(String caller) {
            waiters.callerGone(caller);
        }

        @Override
        synchronized void close() {
            waiters.failAll(Reply.Status.NO_SUCH_OBJECT, "the semaphore's Context was closed");
        }
    }

    /** A flag and the requests waiting for it. */
    public static final class EventState extends Hub.State {
        private final Waiters waiters = new Waiters(this);
        private boolean flag;

        @Override
        synchronized void handle(Hub.Request request) {
            switch (request.call().getOp()) {
                case EVENT_SET -> {
                    flag = true;
                    while (!waiters.isEmpty()) {
                        waiters.poll().request.ok(1);
                    }
                    request.ok(1);
                }
                case EVENT_CLEAR -> {
                    flag = false;
                    request.ok(0);
                }
                case EVENT_IS_SET -> request.ok(flag ? 1 : 0);
                case EVENT_WAIT -> {
                    if (flag) {
                        request.ok(1);
                    } else {
                        waiters.park(request);
                    }
                }
                default -> request.fail(Reply.Status.ILLEGAL_STATE, "not an event operation: "
                        + request.call().getOp().name());
            }
        }

        @Override
        public synchronized void cancel(String caller, long callId) {
            waiters.cancel(caller, callId);
        }

        @Override
        public synchronized void callerGone(String caller) {
            waiters.callerGone(caller);
        }

        @Override
        synchronized void close() {
            waiters.failAll(Reply.Status.NO_SUCH_OBJECT, "the event's Context was closed");
        }
    }
}
