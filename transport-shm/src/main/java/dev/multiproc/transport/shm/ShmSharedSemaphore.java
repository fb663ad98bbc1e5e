package dev.multiproc.transport.shm;

import static dev.multiproc.transport.shm.ShmSegment.LONGS;

import dev.multiproc.SharedSemaphore;
import java.io.Serial;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SharedSemaphore} in a cell of shared memory: the number of free permits, a long. Taking a permit is a
 * compare-and-set from a positive count; giving one back an atomic add; a waiter watches the count with a
 * {@link ShmIdleStrategy}. Not fair, as {@link ShmSharedLock} is not: a waiter that arrives later may win. Permits
 * are not owned (as in Python and on the hub), so a process that dies holding some does not give them back.
 * Thread- and process-safe.
 *
 * <p>Memory order: volatile throughout (CAS, getAndAdd, volatile reads), so what a process wrote before
 * {@code release} is seen by the process whose {@code acquire} takes that permit.
 */
final class ShmSharedSemaphore extends ShmCellHandle implements SharedSemaphore {
    @Serial
    private static final long serialVersionUID = 1L;

    ShmSharedSemaphore(ShmCells.Cell cell, int permits) {
        super(cell);
        LONGS.setVolatile(cells(), offset, (long) permits);
    }

    @Override
    public void acquire() throws InterruptedException {
        tryAcquire(Long.MAX_VALUE);
    }

    @Override
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return tryAcquire(deadline(timeout, unit));
    }

    private boolean tryAcquire(long deadline) throws InterruptedException {
        if (tryAcquire()) {
            return true;
        }
        ByteBuffer cells = cells();
        return awaitCell(permits -> permits > 0 && LONGS.compareAndSet(cells, offset, permits, permits - 1),
                deadline);
    }

    @Override
    public boolean tryAcquire() {
        return decrementIfPositive();
    }

    @Override
    public void release() {
        LONGS.getAndAdd(cells(), offset, 1L);
    }

    @Override
    public int availablePermits() {
        return (int) Math.min(Integer.MAX_VALUE, (long) LONGS.getVolatile(cells(), offset));
    }

    @Override
    public String toString() {
        return "SharedSemaphore[" + where() + "]";
    }
}
