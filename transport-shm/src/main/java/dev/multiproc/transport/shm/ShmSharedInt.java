package dev.multiproc.transport.shm;

import static dev.multiproc.transport.shm.ShmSegment.INTS;

import dev.multiproc.SharedInt;
import java.io.Serial;

/**
 * A {@link SharedInt} in a cell of shared memory. Every operation is one {@link java.lang.invoke.VarHandle} access
 * with volatile semantics, as on {@link java.util.concurrent.atomic.AtomicInteger}: no lock, no message, no system
 * call. Thread- and process-safe.
 */
final class ShmSharedInt extends ShmCellHandle implements SharedInt {
    @Serial
    private static final long serialVersionUID = 1L;

    ShmSharedInt(ShmCells.Cell cell, int initialValue) {
        super(cell);
        INTS.setVolatile(cells(), offset, initialValue);
    }

    @Override
    public int get() {
        return (int) INTS.getVolatile(cells(), offset);
    }

    @Override
    public void set(int newValue) {
        INTS.setVolatile(cells(), offset, newValue);
    }

    @Override
    public int getAndSet(int newValue) {
        return (int) INTS.getAndSet(cells(), offset, newValue);
    }

    @Override
    public int getAndAdd(int delta) {
        return (int) INTS.getAndAdd(cells(), offset, delta);
    }

    @Override
    public boolean compareAndSet(int expectedValue, int newValue) {
        return INTS.compareAndSet(cells(), offset, expectedValue, newValue);
    }

    @Override
    public String toString() {
        return "SharedInt[" + where() + "]";
    }
}
