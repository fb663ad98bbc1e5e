package dev.multiproc.transport.shm;

import static dev.multiproc.transport.shm.ShmSegment.LONGS;

import dev.multiproc.SharedEvent;
import java.io.Serial;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SharedEvent} in a cell of shared memory: one long, the flag in bit 0 and the number of times it was set
 * in the bits above. {@code set} and {@code clear} are a compare-and-set each; a waiter watches the long with a
 * {@link ShmIdleStrategy} and returns once the flag is set <em>or the count has moved</em>, so a waiter does not miss
 * a set that another process cleared again before the waiter looked (Python's {@code Event} wakes such a waiter
 * too). Nothing is owned, so a process that dies leaves nothing to recover. Thread- and process-safe.
 *
 * <p>Memory order: every access is volatile (a CAS or a volatile read), so what a process wrote before {@code set}
 * is seen by a process that returns from {@code await}.
 */
final class ShmSharedEvent extends ShmCellHandle implements SharedEvent {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final long FLAG = 1L;

    ShmSharedEvent(ShmCells.Cell cell) {
        super(cell);
    }

    @Override
    public void set() {
        ByteBuffer cells = cells();
        while (true) {
            long word = (long) LONGS.getVolatile(cells, offset);
            if ((word & FLAG) != 0
                    || LONGS.compareAndSet(cells, offset, word, (((word >>> 1) + 1) << 1) | FLAG)) {
                return;
            }
        }
    }

    @Override
    public void clear() {
        ByteBuffer cells = cells();
        while (true) {
            long word = (long) LONGS.getVolatile(cells, offset);
            if ((word & FLAG) == 0 || LONGS.compareAndSet(cells, offset, word, word & ~FLAG)) {
                return;
            }
        }
    }

    @Override
    public boolean isSet() {
        return ((long) LONGS.getVolatile(cells(), offset) & FLAG) != 0;
    }

    @Override
    public void await() throws InterruptedException {
        await(Long.MAX_VALUE);
    }

    @Override
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return await(deadline(timeout, unit));
    }

    private boolean await(long deadline) throws InterruptedException {
        long first = (long) LONGS.getVolatile(cells(), offset);
        if ((first & FLAG) != 0) {
            return true;
        }
        long sets = first >>> 1;
        return awaitCell(word -> (word & FLAG) != 0 || word >>> 1 != sets, deadline);
    }

    @Override
    public String toString() {
        return "SharedEvent[" + where() + "]";
    }
}
