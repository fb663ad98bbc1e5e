package dev.multiproc.internal.hub;

import dev.multiproc.internal.protocol.Reply;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Predicate;

/**
 * The requests parked on one primitive, first come first served, each with its timeout. Not thread-safe: used
 * under the owning {@link Hub.State}'s monitor, which is also the lock the timeout takes before it fires.
 */
final class Waiters {
    /** A parked request and its pending timeout. */
    static final class Waiter {
        final Hub.Request request;
        ScheduledFuture<?> timeout;

        Waiter(Hub.Request request) {
            this.request = request;
        }
    }

    private final Hub.State owner;
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();

    Waiters(Hub.State owner) {
        this.owner = owner;
    }

    /**
     * Parks a request until it is served, or answers it TIMED_OUT at once if it asked not to wait.
     *
     * @return the parked waiter, or null if the request was answered now
     */
    Waiter park(Hub.Request request) {
        long timeoutNanos = request.call().getTimeoutNanos();
        if (timeoutNanos == 0) {
            request.fail(Reply.Status.TIMED_OUT, "");
            return null;
        }
        Waiter waiter = new Waiter(request);
        queue.addLast(waiter);
        if (timeoutNanos > 0) {
            waiter.timeout = owner.hub.schedule(() -> {
                synchronized (owner) {
                    if (queue.remove(waiter)) {
                        request.fail(Reply.Status.TIMED_OUT, "");
                    }
                }
            }, timeoutNanos);
        }
        return waiter;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    Waiter peek() {
        return queue.peekFirst();
    }

    /** Removes the head, cancelling its timeout; the caller then answers its request. */
    Waiter poll() {
        Waiter waiter = queue.pollFirst();
        if (waiter != null && waiter.timeout != null) {
            waiter.timeout.cancel(false);
        }
        return waiter;
    }

    void cancel(String caller, long callId) {
        removeIf(w -> w.request.isFrom(caller, callId), Reply.Status.CANCELLED, "cancelled");
    }

    /** Drops the requests of a process that is gone: nobody is left to answer. */
    void callerGone(String caller) {
        removeIf(w -> w.request.caller().equals(caller), null, null);
    }

    /** Answers every parked request with the given status. */
    void failAll(Reply.Status status, String error) {
        removeIf(w -> true, status, error);
    }

    private void removeIf(Predicate<Waiter> which, Reply.Status status, String error) {
        for (Iterator<Waiter> it = queue.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            if (which.test(waiter)) {
                it.remove();
                if (waiter.timeout != null) {
                    waiter.timeout.cancel(false);
                }
                if (status != null) {
                    waiter.request.fail(status, error);
                } else {
                    waiter.request.reply().cancel(false);
                }
            }
        }
    }
}
