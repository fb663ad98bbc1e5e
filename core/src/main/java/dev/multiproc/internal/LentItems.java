package dev.multiproc.internal;

import com.google.protobuf.ByteString;
import dev.multiproc.internal.protocol.Op;
import java.util.ArrayDeque;
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
 * <p>Thread-safe. Reports are sent outside the monitor: a report and a give-back can reach the hub in either
 * order, because a report names the oldest lent element and a give-back the newest ones.
 */
final class LentItems {
    /** The largest batch a take asks for. */
    static final int MAX_BATCH = 256;
    /** A take this soon after the previous one counts as a tight loop. */
    static final long TIGHT_LOOP_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    /** Lent elements not taken for this long go back to the hub. */
    static final long LEASE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final ChildRuntime runtime;
    private final long objectId;
    private final ArrayDeque<ByteString> items = new ArrayDeque<>();
    private int batch = 1;
    private long lastTakeNanos;
    private boolean leaseCheckScheduled;

    LentItems(ChildRuntime runtime, long objectId) {
        this.runtime = runtime;
        this.objectId = objectId;
    }

    /**
     * Takes the oldest lent element and reports it consumed.
     *
     * @return its encoded bytes, or null if nothing is lent
     */
    ByteString poll() {
        ByteString item;
        synchronized (this) {
            item = items.pollFirst();
            if (item != null) {
                lastTakeNanos = System.nanoTime();
            }
        }
        if (item != null) {
            runtime.sendOneWay(objectId, Op.QUEUE_CONSUMED, 0);
        }
        return item;
    }

    /** @return how many elements the next take from the hub should ask for */
    synchronized int nextBatch() {
        long now = System.nanoTime();
        batch = lastTakeNanos != 0 && now - lastTakeNanos < TIGHT_LOOP_NANOS ? Math.min(MAX_BATCH, batch * 2) : 1;
        return batch;
    }

    /** Records the end of a take from the hub, for {@link #nextBatch()}. */
    synchronized void took() {
        lastTakeNanos = System.nanoTime();
    }

    /** Adds the further elements of a take's reply (called on the channel's thread, in reply order). */
    void add(List<ByteString> more) {
        synchronized (this) {
            items.addAll(more);
            if (leaseCheckScheduled) {
                return;
            }
            leaseCheckScheduled = true;
        }
        runtime.schedule(this::checkLease, LEASE_NANOS);
    }

    private void checkLease() {
        int giveBack;
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
            giveBack = items.size();
            items.clear();
            batch = 1;
            leaseCheckScheduled = false;
        }
        runtime.sendOneWay(objectId, Op.QUEUE_RETURN, giveBack);
    }
}
