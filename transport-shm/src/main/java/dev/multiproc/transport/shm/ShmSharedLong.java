package dev.multiproc.transport.shm;

import static dev.multiproc.transport.shm.ShmSegment.LONGS;

import dev.multiproc.SharedLong;
import java.io.Serial;

/**
 * A {@link SharedLong} in a cell of shared memory. Every operation is one {@link java.lang.invoke.VarHandle} access
 * with volatile semantics, as on {@link java.util.concurrent.atomic.AtomicLong}: no lock, no message, no system
 * call. Thread- and process-safe.
 */
final class ShmSharedLong extends ShmCellHandle implements SharedLong {
    @Serial
    private static final long serialVersionUID = 1L;

    ShmSharedLong(ShmCells.Cell cell, long initialValue) {
        super(cell);
        LONGS.setVolatile(cells(), offset, initialValue);
    }

    @Override
    public long get() {
        return (long) LONGS.getVolatile(cells(), offset);
    }

    @Override
    public void set(long newValue) {
        LONGS.setVolatile(cells(), offset, newValue);
    }

    @Override
    public long getAndSet(long newValue) {
        return (long) LONGS.getAndSet(cells(), offset, newValue);
    }

    @Override
    public long getAndAdd(long delta) {
        return (long) LONGS.getAndAdd(cells(), offset, delta);
    }

    @Override
    public boolean compareAndSet(long expectedValue, long newValue) {
        return LONGS.compareAndSet(cells(), offset, expectedValue, newValue);
    }

    @Override
    public String toString() {
        return "SharedLong[" + where() + "]";
    }
}
