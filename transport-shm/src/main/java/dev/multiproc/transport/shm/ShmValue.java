package dev.multiproc.transport.shm;

import static dev.multiproc.transport.shm.ShmSegment.LONGS;
import static dev.multiproc.transport.shm.ShmValueDescriptor.NEWEST_OFFSET;
import static dev.multiproc.transport.shm.ShmValueDescriptor.SEQUENCE_OFFSET;
import static dev.multiproc.transport.shm.ShmValueDescriptor.capacityFor;
import static dev.multiproc.transport.shm.ShmValueDescriptor.generation;
import static dev.multiproc.transport.shm.ShmValueDescriptor.length;
import static dev.multiproc.transport.shm.ShmValueDescriptor.needsNewGeneration;
import static dev.multiproc.transport.shm.ShmValueDescriptor.segmentLength;
import static dev.multiproc.transport.shm.ShmValueDescriptor.slot;
import static dev.multiproc.transport.shm.ShmValueDescriptor.slotCapacity;
import static dev.multiproc.transport.shm.ShmValueDescriptor.slotOffset;
import static dev.multiproc.transport.shm.ShmValueDescriptor.slotStart;

import dev.multiproc.spi.NativeValue;
import java.io.IOException;
import java.io.Serial;
import java.io.UncheckedIOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A shared value's bytes in shared memory (layout in {@link ShmValueDescriptor}), double-buffered under a sequence
 * number: writers take a {@link ShmSharedLock} (so a writer killed mid-write is taken over by the next), write the
 * slot that is not the current value's, and publish it by incrementing the sequence; readers take no lock and copy
 * the current slot optimistically, as a seqlock's readers do. Two slots rather than one (Linux's
 * {@code seqcount_latch}, not Agrona's single-buffer seqlock) so that the current value is never being written:
 * a writer killed mid-write leaves it whole, readers never wait for a writer, and nothing needs repair.
 *
 * <p>A value larger than the slots goes to a new data segment, the next generation, twice the size or more; a value
 * much smaller than large slots goes to a smaller one. A generation that neither slot uses any more is deleted by
 * the writer that stopped using it; every generation left (a writer died between making one and using it) is deleted
 * when the context closes, and swept with the context's other segments if its owner died.
 */
final class ShmValue extends ShmCellHandle implements NativeValue {
    @Serial
    private static final long serialVersionUID = 1L;
    /** Optimistic reads that may fail (two commits during each copy) before a reader takes the writers' lock. */
    private static final int OPTIMISTIC_READS = 64;

    /** The path of the value's data segments, less the generation. */
    private final String base;
    private final ShmSharedLock writers;
    /** The two generations this process mapped last: enough for both slots in the steady state. */
    private transient volatile Generation newest;
    private transient volatile Generation older;

    /** A data segment mapped in this process. */
    private record Generation(long number, ShmSegment segment) {
        int capacity() {
            return slotCapacity(segment.length());
        }
    }

    private ShmValue(ShmCells.Cell cell, String base) {
        super(cell);
        this.base = base;
        this.writers = new ShmSharedLock(cell, false);
    }

    /**
     * Makes a value in a fresh cell, with its first generation holding {@code initial}; in the parent.
     *
     * @param cell a zeroed cell
     * @param base the path of the value's data segments, less the generation
     * @throws UncheckedIOException if the data segment cannot be created
     */
    static ShmValue create(ShmCells.Cell cell, Path base, byte[] initial) {
        ShmValue value = new ShmValue(cell, base.toString());
        Generation first = value.newGeneration(0, initial.length);
        first.segment().buffer().put(slotStart(0, first.capacity()), initial);
        ByteBuffer cells = value.cells();
        LONGS.set(cells, cell.offset() + ShmValueDescriptor.SLOT_0_OFFSET, slot(0, initial.length));
        LONGS.set(cells, cell.offset() + ShmValueDescriptor.SLOT_1_OFFSET, slot(0, 0));
        LONGS.set(cells, cell.offset() + NEWEST_OFFSET, 0L);
        // release: the bytes and slots above are seen by whoever reads the sequence (the handle travels after this)
        LONGS.setRelease(cells, cell.offset() + SEQUENCE_OFFSET, 0L);
        return value;
    }

    @Override
    public byte[] get() {
        for (int attempt = 0; attempt < OPTIMISTIC_READS; attempt++) {
            ByteBuffer cells = cells(); // throws once the context has closed
            // acquire: the slot's descriptor and bytes published with this sequence are seen below
            long sequence = (long) LONGS.getAcquire(cells, offset + SEQUENCE_OFFSET);
            long slot = (long) LONGS.getAcquire(cells, offset + slotOffset(sequence & 1));
            byte[] copy = copyOrNull(sequence & 1, slot);
            // acquire fence: the copy's loads come before the check (StampedLock.validate's fence)
            VarHandle.acquireFence();
            long now = (long) LONGS.getAcquire(cells, offset + SEQUENCE_OFFSET);
            if (now == sequence) {
                if (copy == null) {
                    throw corrupt(slot);
                }
                return copy;
            }
            Thread.onSpinWait();
        }
        // writers commit faster than this reader copies: take their lock, so the value stands still
        writers.lock();
        try {
            return copyCommitted(cells());
        } finally {
            writers.unlock();
        }
    }

    @Override
    public void set(byte[] value) {
        store(value, false);
    }

    @Override
    public byte[] getAndSet(byte[] value) {
        return store(value, true);
    }

    /** Writes the slot that does not hold the current value, then makes it the current one; under the lock. */
    private byte[] store(byte[] value, boolean previous) {
        cells();
        writers.lock(); // takes over the lock of a writer that died holding it
        try {
            ByteBuffer cells = cells(); // the context may have closed while this thread waited
            // acquire (and the lock's): the writes of the commits before, our own included, come first
            long sequence = (long) LONGS.getAcquire(cells, offset + SEQUENCE_OFFSET);
            long current = sequence & 1;
            long target = current ^ 1;
            byte[] replaced = previous ? copyCommitted(cells) : null;
            long targetBefore = (long) LONGS.getAcquire(cells, offset + slotOffset(target));
            long newestNumber = (long) LONGS.getAcquire(cells, offset + NEWEST_OFFSET);
            Generation into = mapped(newestNumber);
            if (needsNewGeneration(value.length, into.capacity())) {
                into = newGeneration(newestNumber + 1, value.length);
                LONGS.setRelease(cells, offset + NEWEST_OFFSET, into.number());
            }
            // store-store fence: a reader that still copies the target slot (it read the sequence two commits ago)
            // and sees these bytes also sees the sequence that has moved on since (Linux's seqcount_latch's wmb)
            VarHandle.storeStoreFence();
            into.segment().buffer().put(slotStart(target, into.capacity()), value);
            LONGS.setRelease(cells, offset + slotOffset(target), slot(into.number(), value.length));
            // release: the bytes and the slot are seen by any reader that reads this sequence
            LONGS.setRelease(cells, offset + SEQUENCE_OFFSET, sequence + 1);
            long currentGeneration = generation((long) LONGS.getAcquire(cells, offset + slotOffset(current)));
            long retired = generation(targetBefore);
            if (retired != into.number() && retired != currentGeneration) {
                retire(retired);
            }
            return replaced;
        } finally {
            writers.unlock();
        }
    }

    /** Copies the current value; the caller holds the lock, so it stands still. */
    private byte[] copyCommitted(ByteBuffer cells) {
        long sequence = (long) LONGS.getAcquire(cells, offset + SEQUENCE_OFFSET);
        long slot = (long) LONGS.getAcquire(cells, offset + slotOffset(sequence & 1));
        byte[] copy = copyOrNull(sequence & 1, slot);
        if (copy == null) {
            throw corrupt(slot);
        }
        return copy;
    }

    /**
     * Copies the bytes a slot descriptor points at, bound-checked against the segment they are in.
     *
     * @return the copy, or null if the descriptor points nowhere: its generation is gone (a writer moved on and
     *         deleted it) or it says more bytes than the slot holds (it changed under a reader)
     */
    private byte[] copyOrNull(long slotNumber, long slot) {
        int length = length(slot);
        Generation in;
        try {
            in = mapped(generation(slot));
        } catch (IllegalStateException gone) {
            return null;
        }
        if (length < 0 || length > in.capacity()) {
            return null;
        }
        byte[] copy = new byte[length];
        in.segment().buffer().get(slotStart(slotNumber, in.capacity()), copy);
        return copy;
    }

    private IllegalStateException corrupt(long slot) {
        cells(); // a closed context says so, rather than "corrupt"
        return new IllegalStateException("corrupt shared value " + this + ": its current slot says generation "
                + generation(slot) + ", " + length(slot) + " bytes, which is not there");
    }

    private Path path(long generation) {
        return Paths.get(base + "-" + generation);
    }

    /**
     * @return the data segment of a generation, mapped in this process
     * @throws IllegalStateException if it cannot be mapped (it is gone, or corrupt)
     */
    private Generation mapped(long number) {
        Generation first = newest;
        if (first != null && first.number() == number) {
            return first;
        }
        Generation second = older;
        if (second != null && second.number() == number) {
            return second;
        }
        Generation mapped = new Generation(number, ShmMappings.open(path(number), ShmSegmentDescriptor.KIND_VALUE));
        remember(mapped);
        return mapped;
    }

    /** Keeps a mapping in the two-entry cache; the newest generation stays first. Races only cost a remapping. */
    private void remember(Generation mapped) {
        Generation first = newest;
        if (first == null || mapped.number() > first.number()) {
            older = first;
            newest = mapped;
        } else {
            older = mapped;
        }
    }

    /** Creates, sizes and publishes a generation for a value of {@code length} bytes; under the lock. */
    private Generation newGeneration(long number, int length) {
        Path path = path(number);
        ShmSegment segment;
        try {
            Files.deleteIfExists(path); // made by a writer that died before it used it
            segment = ShmSegment.create(path, ShmSegmentDescriptor.KIND_VALUE, segmentLength(capacityFor(length)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store a value of " + length + " bytes in " + this
                    + ": no segment at " + path + " (" + e.getMessage() + ")", e);
        }
        segment.publish();
        if (!isContextLive()) {
            segment.delete(); // the context closed while we made it: nothing would delete it
            cells(); // throws
        }
        Generation made = new Generation(number, segment);
        remember(made);
        return made;
    }

    private boolean isContextLive() {
        try {
            cells();
            return true;
        } catch (IllegalStateException closed) {
            return false;
        }
    }

    /** Deletes a generation neither slot uses; a reader that mapped it already finds the sequence has moved. */
    private void retire(long number) {
        Generation second = older;
        if (second != null && second.number() == number) {
            older = null;
        }
        try {
            Files.deleteIfExists(path(number));
        } catch (IOException e) {
            // the context's close deletes it
        }
    }

    @Override
    public String toString() {
        return "shm value " + Paths.get(base).getFileName();
    }
}
