package dev.multiproc.internal.handle;

import com.google.protobuf.ByteString;
import dev.multiproc.internal.child.ChildRuntime;
import dev.multiproc.internal.hub.HubQueueState;
import dev.multiproc.internal.protocol.Op;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The elements of one hub queue that the hub has lent to this child process (see {@link HubQueueState}): a consumer
 * that takes in a tight loop gets its elements in batches, one reply for many, instead of one round trip each. This
 * is what Python's Queue gets from its pipe buffer, without that buffer's flaws: an element lent here is reported
 * to the hub before the caller's code sees it, so the hub puts back exactly the unseen ones if this process dies.
 *
 * <p>The batch grows (doubling, up to {@link #MAX_BATCH}) while the caller comes back for the next element within
 * {@link #TIGHT_LOOP_NANOS}, and drops to 1 when it does not: a consumer that works on each element for a while
 * takes one at a time, leaving the rest to other consumers. Elements not taken within {@link #LEASE_NANOS} of the
 * last take go back to the hub, so a consumer that stops taking strands nothing.
 *
 * <p>Thread-safe. Reports and give-backs are sent outside the monitor, so they can reach the hub in any order
 * relative to each other and to later takes: each names its elements by their loan numbers, which the hub gave
 * them ({@code Reply.lent_from}).
 */
public final class LentItems {
    /** The largest batch a take asks for. */
    static final int MAX_BATCH = 256;
    /** A take this soon after the previous one counts as a tight loop. */
    static final long TIGHT_LOOP_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    /** Lent elements not taken for this long go back to the hub. */
    static final long LEASE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final ChildRuntime runtime;
    private final long objectId;
    /** A lent element and the loan number the hub knows it by. */
    private record Lent(ByteString data, long number) {
    }

    private final ArrayDeque<Lent> items = new ArrayDeque<>();
    private int batch = 1;
    private long lastTakeNanos;
    private boolean leaseCheckScheduled;
    /** Set while a give-back is on its way to the channel; takes from the hub wait for it. */
    private boolean givingBack;

    public LentItems(ChildRuntime runtime, long objectId) {
        this.runtime = runtime;
        this.objectId = objectId;
    }

    /**
     * Takes the oldest lent element and reports it consumed.
     *
     * @return its encoded bytes, or null if nothing is lent
     */
    ByteString poll() {
        Lent item;
        synchronized (this) {
            item = items.pollFirst();
            if (item == null) {
                return null;
            }
            lastTakeNanos = System.nanoTime();
        }
        runtime.sendOneWay(objectId, Op.QUEUE_CONSUMED, item.number(), 0);
        return item.data();
    }

    /**
     * Reports the element a take from the hub returned as seen (the hub lends it, like the further ones).
     *
     * @param number its loan number ({@code Reply.lent_from})
     */
    void consumed(long number) {
        runtime.sendOneWay(objectId, Op.QUEUE_CONSUMED, number, 0);
    }

    /**
     * Called before a take goes to the hub: waits while a give-back is being sent, so that the hub puts those
     * elements back at the head before it serves this process's next take (otherwise this process could get a
     * later element before the ones it gave back).
     *
     * @return how many elements the next take from the hub should ask for
     */
    synchronized int nextBatch() {
        boolean interrupted = false;
        while (givingBack) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;   // the give-back is a few microseconds of writing: finish waiting for it
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        long now = System.nanoTime();
        batch = lastTakeNanos != 0 && now - lastTakeNanos < TIGHT_LOOP_NANOS ? Math.min(MAX_BATCH, batch * 2) : 1;
        return batch;
    }

    /** Records the end of a take from the hub, for {@link #nextBatch()}. */
    synchronized void took() {
        lastTakeNanos = System.nanoTime();
    }

    /**
     * Adds the further elements of a take's reply (called on the channel's thread, in reply order).
     *
     * @param firstNumber the loan number of {@code more.get(0)}; the others follow it
     */
    public void add(List<ByteString> more, long firstNumber) {
        synchronized (this) {
            for (int i = 0; i < more.size(); i++) {
                items.addLast(new Lent(more.get(i), firstNumber + i));
            }
            if (leaseCheckScheduled) {
                return;
            }
            leaseCheckScheduled = true;
        }
        runtime.schedule(this::checkLease, LEASE_NANOS);
    }

    private void checkLease() {
        List<long[]> runs = new ArrayList<>();
        synchronized (this) {
            long idle = System.nanoTime() - lastTakeNanos;
            if (items.isEmpty()) {
                leaseCheckScheduled = false;
                return;
            }
            if (idle < LEASE_NANOS) {
                runtime.schedule(this::checkLease, LEASE_NANOS - idle);
                return;
            }
            for (Lent item : items) {   // runs of consecutive numbers: usually one
                long[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
                if (last != null && last[0] + last[1] == item.number()) {
                    last[1]++;
                } else {
                    runs.add(new long[] {item.number(), 1});
                }
            }
            items.clear();
            batch = 1;
            leaseCheckScheduled = false;
            givingBack = true;
        }
        try {
            for (long[] run : runs) {
                runtime.sendOneWay(objectId, Op.QUEUE_RETURN, run[0], run[1]);
            }
        } finally {
            synchronized (this) {
                givingBack = false;
                notifyAll();
            }
        }
    }
}
