package dev.multiproc.internal.hub;

import dev.multiproc.internal.protocol.Reply;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

/**
 * The hub's state of a condition: its waiters, by ticket, in the order they came. The lock the condition is bound
 * to may live elsewhere (on shm it is a word of shared memory the hub never sees), so the hub cannot release it
 * atomically with enqueuing a waiter. Instead a waiter:
 *
 * <ol>
 *   <li>registers here while it still holds the lock ({@code CONDITION_ENTER}, answered with its ticket);</li>
 *   <li>releases the lock;</li>
 *   <li>waits for a signal to its ticket ({@code CONDITION_WAIT}): if the signal came between 1 and 3, it is kept on
 *       the ticket and the wait returns at once;</li>
 *   <li>takes the lock again, and then reports its ticket done ({@code CONDITION_DONE}).</li>
 * </ol>
 *
 * <p>Why no signal is lost: a signaller must hold the lock. The waiter's registration was answered before it
 * released the lock (step 1 happens-before step 2, a round trip), its release happens-before the signaller's taking
 * of the lock (whatever the lock: the hub's, ordered by the hub's monitor, or shm's, a release store read by the
 * next owner's compare-and-set), and that happens-before the signaller's {@code CONDITION_SIGNAL} reaches the hub.
 * So every signal that must see the waiter finds it registered, and the hub's monitor orders the rest.
 *
 * <p>Why a dead waiter eats no signal: a signalled ticket stays here until its waiter reports it done, which it does
 * only once it holds the lock again, after its code could act on the signal. A process reported gone loses its
 * tickets, and each that had received a {@code signal()} (not a {@code signalAll()}, which woke everyone anyway)
 * passes it to the longest waiting ticket not yet signalled. A child's report travels on its channel before the
 * parent can see it exit, so a waiter that finished before it died never passes its signal on.
 */
public final class HubConditionState extends Hub.State {
    /** One waiter: who, whether it was signalled (and how), and its parked wait if it is waiting now. */
    private static final class Ticket {
        final String caller;
        boolean signalled;
        /** Signalled by {@code signal()}: passed on if the waiter dies before it reports done. */
        boolean single;
        Hub.Request wait;
        ScheduledFuture<?> timeout;

        Ticket(String caller) {
            this.caller = caller;
        }
    }

    private final Map<Long, Ticket> tickets = new LinkedHashMap<>();
    private long lastTicket;

    @Override
    synchronized void handle(Hub.Request request) {
        switch (request.call().getOp()) {
            case CONDITION_ENTER -> {
                long ticket = ++lastTicket;
                tickets.put(ticket, new Ticket(request.caller()));
                request.ok(ticket);
            }
            case CONDITION_WAIT -> await(request);
            case CONDITION_DONE -> {
                Ticket ticket = tickets.remove(request.call().getA());
                if (ticket != null) {
                    cancelTimeout(ticket);
                }
                request.ok(0);
            }
            case CONDITION_SIGNAL -> request.ok(signalOne() ? 1 : 0);
            case CONDITION_SIGNAL_ALL -> {
                int woken = 0;
                for (Ticket ticket : tickets.values()) {
                    if (!ticket.signalled) {
                        signal(ticket, false);
                        woken++;
                    }
                }
                request.ok(woken);
            }
            default -> request.fail(Reply.Status.ILLEGAL_STATE, "not a condition operation: "
                    + request.call().getOp().name());
        }
    }

    private void await(Hub.Request request) {
        long number = request.call().getA();
        Ticket ticket = tickets.get(number);
        if (ticket == null || !ticket.caller.equals(request.caller())) {
            request.fail(Reply.Status.ILLEGAL_STATE, "no waiter with ticket " + number);
            return;
        }
        if (ticket.signalled) {
            request.ok(1);
            return;
        }
        long timeoutNanos = request.call().getTimeoutNanos();
        if (timeoutNanos == 0) {
            tickets.remove(number);
            request.fail(Reply.Status.TIMED_OUT, "");
            return;
        }
        ticket.wait = request;
        if (timeoutNanos > 0) {
            ticket.timeout = hub.schedule(() -> timedOut(number, ticket), timeoutNanos);
        }
    }

    private synchronized void timedOut(long number, Ticket ticket) {
        if (!ticket.signalled && tickets.remove(number, ticket)) {
            ticket.wait.fail(Reply.Status.TIMED_OUT, "");
        }
    }

    /** @return whether a waiter was there to signal */
    private boolean signalOne() {
        for (Ticket ticket : tickets.values()) {
            if (!ticket.signalled) {
                signal(ticket, true);
                return true;
            }
        }
        return false;
    }

    private static void signal(Ticket ticket, boolean single) {
        ticket.signalled = true;
        ticket.single = single;
        if (ticket.wait != null) {
            cancelTimeout(ticket);
            ticket.wait.ok(1);
        }
    }

    @Override
    public synchronized void cancel(String caller, long callId) {
        for (Iterator<Ticket> it = tickets.values().iterator(); it.hasNext(); ) {
            Ticket ticket = it.next();
            if (ticket.wait != null && !ticket.signalled && ticket.wait.isFrom(caller, callId)) {
                it.remove();
                cancelTimeout(ticket);
                ticket.wait.fail(Reply.Status.CANCELLED, "cancelled");
                return;
            }
        }
    }

    @Override
    public synchronized void callerGone(String caller) {
        int passOn = 0;
        for (Iterator<Ticket> it = tickets.values().iterator(); it.hasNext(); ) {
            Ticket ticket = it.next();
            if (ticket.caller.equals(caller)) {
                it.remove();
                cancelTimeout(ticket);
                if (ticket.wait != null && !ticket.wait.reply().isDone()) {
                    ticket.wait.reply().cancel(false);
                }
                if (ticket.signalled && ticket.single) {
                    passOn++;
                }
            }
        }
        // each signal the dead process had received and not acted on goes to the next live waiter
        while (passOn > 0 && signalOne()) {
            passOn--;
        }
    }

    private static void cancelTimeout(Ticket ticket) {
        if (ticket.timeout != null) {
            ticket.timeout.cancel(false);
        }
    }

    @Override
    synchronized void close() {
        for (Ticket ticket : tickets.values()) {
            cancelTimeout(ticket);
            if (ticket.wait != null) {
                ticket.wait.fail(Reply.Status.NO_SUCH_OBJECT, "the condition's Context was closed");
            }
        }
        tickets.clear();
    }
}
