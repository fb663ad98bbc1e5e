package dev.multiproc.transport.shm;

import static dev.multiproc.transport.shm.ShmSegment.LONGS;

import dev.multiproc.spi.NativeJoinableQueue;
import java.io.Serial;
import java.util.concurrent.TimeUnit;

/**
 * A joinable queue in shared memory: an unbounded {@link ShmQueue} for the elements and a cell of its own holding the
 * number of unfinished elements, a long. {@code offer} adds one to the count <em>before</em> it writes the element (and
 * takes it back if the write fails), so a consumer's {@code taskDone} never runs ahead of the offer that made its
 * element; {@code taskDone} takes one away with a compare-and-set, refusing at 0; {@code join} watches the cell with a
 * {@link ShmIdleStrategy} until it reads 0. The count is not touched by {@link #close()}: as on core's hub, a closed
 * queue's tasks can still be marked done and joined. Nothing is owned, so a process that dies leaves nothing to
 * recover (its elements' tasks stay unfinished, as in Python and on the hub). Thread- and process-safe.
 *
 * <p>Memory order: every access to the count is volatile (getAndAdd, CAS, volatile reads). The count's increment
 * comes before the ring's release store that publishes the element, and a consumer's acquire of that element comes
 * before its {@code taskDone}, so the consumer's CAS sees the increment. What a consumer wrote before
 * {@code taskDone} is seen by a process that returns from {@code join}.
 */
final class ShmJoinableQueue extends ShmCellHandle implements NativeJoinableQueue {
    @Serial
    private static final long serialVersionUID = 1L;

    private final ShmQueue elements;

    ShmJoinableQueue(ShmCells.Cell unfinished, ShmQueue elements) {
        super(unfinished);
        this.elements = elements;
    }

    @Override
    public boolean offer(byte[] element, long timeout, TimeUnit unit) throws InterruptedException {
        LONGS.getAndAdd(cells(), offset, 1L);
        boolean added = false;
        try {
            added = elements.offer(element, timeout, unit);
            return added;
        } finally {
            if (!added) {
                taskDone(); // not put (closed, too large): the count goes back to what it was
            }
        }
    }

    @Override
    public byte[] poll(long timeout, TimeUnit unit) throws InterruptedException {
        return elements.poll(timeout, unit);
    }

    @Override
    public int size() {
        return elements.size();
    }

    @Override
    public void close() {
        elements.close();
    }

    @Override
    public boolean taskDone() {
        return decrementIfPositive();
    }

    @Override
    public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
        return awaitCell(unfinished -> unfinished <= 0, deadline(timeout, unit));
    }

    @Override
    public String toString() {
        return "shm joinable queue (" + elements + ", its unfinished count at " + where() + ")";
    }
}
