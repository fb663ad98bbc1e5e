package dev.multiproc.transport.shm;

import java.io.Serial;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.file.Paths;

/**
 * What every shared-memory handle is on the wire: the path of its segment (a segment of cells, or another kind with
 * a cell of its own, such as a buffer's lock), the segment's kind and its cell's offset. In the
 * process that receives it, the first operation maps the segment (once per JVM, see {@link ShmMappings}); every
 * operation first checks that the owning context is still open.
 */
abstract class ShmCellHandle implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The segment file (a String: {@link java.nio.file.Path} is not serializable). */
    final String path;
    /** The cell's offset in the segment, 64-aligned. */
    final int offset;
    /** The segment's kind (see {@link ShmSegmentDescriptor}). */
    private final int kind;
    private transient volatile ShmSegment segment;

    ShmCellHandle(ShmCells.Cell cell) {
        this.path = cell.path().toString();
        this.offset = cell.offset();
        this.kind = cell.kind();
    }

    /**
     * @return the mapped segment, live
     * @throws IllegalStateException if the owning context has closed
     */
    final ByteBuffer cells() {
        ShmSegment mapped = segment;
        if (mapped == null) {
            try {
                mapped = ShmMappings.get(Paths.get(path), kind);
            } catch (IllegalStateException e) {
                throw new IllegalStateException("the context that owns this shared object has closed, or its"
                        + " segment is gone: " + e.getMessage(), e);
            }
            if (offset < ShmSegmentDescriptor.HEADER_LENGTH || offset % ShmCells.CELL_LENGTH != 0
                    || offset + extent() > mapped.length()) {
                throw new IllegalStateException("corrupt shared-object handle: offset " + offset + " is not a cell of "
                        + path);
            }
            segment = mapped;
        }
        mapped.checkLive();
        return mapped.buffer();
    }

    /** @return how many bytes from {@link #offset} the handle uses: one cell, unless a subclass spans more */
    int extent() {
        return ShmCells.CELL_LENGTH;
    }

    /**
     * Waits, interruptibly, until {@code done} holds for the long at this cell, reading it (volatile) after each
     * {@link ShmIdleStrategy} pause; checks the context is still open while parking.
     *
     * @param done what the waiter waits for, given the cell's long; it may act on the cell (a CAS) and say so
     * @param deadline {@link System#nanoTime()} to give up at, or {@link Long#MAX_VALUE} for never
     * @return true if {@code done} held, false if the deadline passed
     * @throws InterruptedException if interrupted while waiting
     */
    final boolean awaitCell(java.util.function.LongPredicate done, long deadline) throws InterruptedException {
        ShmIdleStrategy idle = new ShmIdleStrategy();
        while (true) {
            ByteBuffer memory = cells(); // throws once the context has closed
            if (done.test((long) ShmSegment.LONGS.getVolatile(memory, offset))) {
                return true;
            }
            if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0) {
                return false;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for " + this);
            }
            idle.idle();
        }
    }

    /**
     * Takes one from the long at this cell unless it is 0 or less: a compare-and-set loop, volatile (a semaphore's
     * permit, a joinable queue's task).
     *
     * @return true if it took one, false if the long was 0 or less
     */
    final boolean decrementIfPositive() {
        ByteBuffer memory = cells();
        while (true) {
            long value = (long) ShmSegment.LONGS.getVolatile(memory, offset);
            if (value <= 0) {
                return false;
            }
            if (ShmSegment.LONGS.compareAndSet(memory, offset, value, value - 1)) {
                return true;
            }
        }
    }

    /** @return {@link System#nanoTime()} plus the timeout, or {@link Long#MAX_VALUE} for a very long one */
    static long deadline(long timeout, java.util.concurrent.TimeUnit unit) {
        long nanos = Math.max(0, unit.toNanos(timeout));
        long now = System.nanoTime();
        return nanos >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos;
    }

    /** @return a short description for toString */
    final String where() {
        return "shm " + Paths.get(path).getFileName() + "@" + offset;
    }
}
