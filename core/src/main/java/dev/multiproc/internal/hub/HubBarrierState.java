package dev.multiproc.internal.hub;

import dev.multiproc.internal.protocol.Reply;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * The hub's state of a barrier: the parties waiting in the current trip, whether it is broken and why, and who runs
 * the action. As in {@code CyclicBarrier}, a trip is atomic: the last party's arrival releases every waiter at once
 * (or, with an action, hands the action to the last party and releases the others when it reports it done), so
 * the next trip's first arrival can never be mistaken for a late one of this trip.
 *
 * <p>While the action runs, the trip is decided: a waiter's timeout or interrupt no longer breaks the barrier (the
 * waiter is released with the others), and an abort, a reset or a party of the next trip waits until the action is
 * done, as they wait for {@code CyclicBarrier}'s lock, which the action holds.
 *
 * <p>Crash-safety: a process that dies while one of its parties waits breaks the barrier, and one that dies running
 * the action breaks it too, so the others are told, never wedged.
 */
public final class HubBarrierState extends Hub.State {
    /** Set in the reply value of the last party of a barrier with an action: it runs the action. */
    public static final long RUN_ACTION = 1L << 32;

    /** A party waiting for the others. */
    private static final class Party {
        final Hub.Request request;
        final int index;
        ScheduledFuture<?> timeout;

        Party(Hub.Request request, int index) {
            this.request = request;
            this.index = index;
        }
    }

    private final int parties;
    private final boolean hasAction;
    private final List<Party> waiting = new ArrayList<>();
    /** Requests that came while the action ran, handled once it is done. */
    private final List<Hub.Request> deferred = new ArrayList<>();
    /** Why the barrier is broken, or null if it is not. */
    private String broken;
    /** The request of the party running the action (its caller and thread), or null. */
    private Hub.Request actionRunner;

    /**
     * @param parties how many parties trip the barrier
     * @param hasAction whether the last party runs an action before the others are released
     */
    public HubBarrierState(int parties, boolean hasAction) {
        this.parties = parties;
        this.hasAction = hasAction;
    }

    @Override
    synchronized void handle(Hub.Request request) {
        switch (request.call().getOp()) {
            case BARRIER_AWAIT -> {
                if (actionRunner != null) {
                    deferred.add(request);
                } else {
                    arrive(request);
                }
            }
            case BARRIER_ACTION_DONE -> actionDone(request);
            case BARRIER_ABORT -> {
                if (actionRunner != null) {
                    deferred.add(request);
                } else {
                    breakBarrier("it was aborted");
                    request.ok(0);
                }
            }
            case BARRIER_RESET -> {
                if (actionRunner != null) {
                    deferred.add(request);
                } else {
                    breakBarrier("it was reset while they waited");
                    broken = null;
                    request.ok(0);
                }
            }
            case BARRIER_WAITING -> request.ok(waiting.size() + (actionRunner != null ? 1 : 0));
            case BARRIER_BROKEN -> request.ok(broken != null ? 1 : 0);
            default -> request.fail(Reply.Status.ILLEGAL_STATE, "not a barrier operation: "
                    + request.call().getOp().name());
        }
    }

    private void arrive(Hub.Request request) {
        if (broken != null) {
            request.fail(Reply.Status.ILLEGAL_STATE, broken);
            return;
        }
        int index = waiting.size();
        if (index + 1 == parties) {
            if (hasAction) {
                actionRunner = request;
                request.ok(RUN_ACTION | index);
            } else {
                trip();
                request.ok(index);
            }
            return;
        }
        long timeoutNanos = request.call().getTimeoutNanos();
        if (timeoutNanos == 0) {
            request.fail(Reply.Status.TIMED_OUT, "");
            breakBarrier("a party did not wait (a timeout of 0)");
            return;
        }
        Party party = new Party(request, index);
        waiting.add(party);
        if (timeoutNanos > 0) {
            party.timeout = hub.schedule(() -> timedOut(party, timeoutNanos), timeoutNanos);
        }
    }

    private synchronized void timedOut(Party party, long timeoutNanos) {
        if (actionRunner != null || !waiting.remove(party)) {
            return; // released meanwhile, or about to be: the trip is decided
        }
        party.request.fail(Reply.Status.TIMED_OUT, "");
        breakBarrier("a party (" + party.request.caller() + ") waited longer than its timeout of "
                + timeoutNanos / 1_000_000 + " ms");
    }

    /** Releases every waiter of this trip with its index. */
    private void trip() {
        for (Party party : waiting) {
            cancelTimeout(party);
            party.request.ok(party.index);
        }
        waiting.clear();
    }

    private void breakBarrier(String why) {
        broken = "the barrier is broken: " + why;
        for (Party party : waiting) {
            cancelTimeout(party);
            party.request.fail(Reply.Status.ILLEGAL_STATE, broken);
        }
        waiting.clear();
    }

    private void actionDone(Hub.Request request) {
        Hub.Request runner = actionRunner;
        if (runner == null || !runner.caller().equals(request.caller())
                || runner.call().getThreadId() != request.call().getThreadId()) {
            request.ok(0); // the barrier was broken meanwhile (its runner's process was reported dead)
            return;
        }
        actionRunner = null;
        if (request.call().getB() == 1) {
            breakBarrier("the barrier action threw in " + request.caller() + ": " + request.call().getData()
                    .toStringUtf8());
        } else {
            trip();
        }
        request.ok(0);
        handleDeferred();
    }

    private void handleDeferred() {
        List<Hub.Request> again = new ArrayList<>(deferred);
        deferred.clear();
        for (Hub.Request request : again) {
            handle(request);
        }
    }

    @Override
    public synchronized void cancel(String caller, long callId) {
        if (actionRunner != null) {
            return; // the trip is decided: the interrupted party is released with the others, its flag set
        }
        for (Iterator<Party> it = waiting.iterator(); it.hasNext(); ) {
            Party party = it.next();
            if (party.request.isFrom(caller, callId)) {
                it.remove();
                cancelTimeout(party);
                party.request.fail(Reply.Status.CANCELLED, "cancelled");
                breakBarrier("a waiting party (" + caller + ") was interrupted");
                return;
            }
        }
    }

    @Override
    public synchronized void callerGone(String caller) {
        deferred.removeIf(request -> request.caller().equals(caller));
        if (actionRunner != null && actionRunner.caller().equals(caller)) {
            actionRunner = null;
            breakBarrier("the process running the barrier action (" + caller + ") died");
            handleDeferred();
            return;
        }
        boolean lost = waiting.removeIf(party -> {
            if (!party.request.caller().equals(caller)) {
                return false;
            }
            cancelTimeout(party);
            party.request.reply().cancel(false);
            return true;
        });
        if (lost && actionRunner == null) {
            breakBarrier("the process of a waiting party (" + caller + ") died");
        }
    }

    private static void cancelTimeout(Party party) {
        if (party.timeout != null) {
            party.timeout.cancel(false);
        }
    }

    @Override
    synchronized void close() {
        for (Party party : waiting) {
            cancelTimeout(party);
            party.request.fail(Reply.Status.NO_SUCH_OBJECT, "the barrier's Context was closed");
        }
        waiting.clear();
        for (Hub.Request request : deferred) {
            request.fail(Reply.Status.NO_SUCH_OBJECT, "the barrier's Context was closed");
        }
        deferred.clear();
        if (actionRunner != null) {
            actionRunner = null;
        }
    }
}
