package dev.multiproc.transport.shm;

/**
 * Layout of a shared value (see {@link ShmValue}): a 64-byte cell from {@link ShmCells} that says where the value
 * is, and data segments of kind {@link ShmSegmentDescriptor#KIND_VALUE}, one per generation, that hold its bytes.
 *
 * <pre>
 *   cell (64 bytes, 64-aligned, little-endian)
 *   0                   8         12        16                  24                  32                  40                  48
 *   +-------------------+---------+---------+-------------------+-------------------+-------------------+-------------------+
 *   | writers' lock     | holds   |         | sequence          | slot 0            | slot 1            | newest generation |
 *   +-------------------+---------+---------+-------------------+-------------------+-------------------+-------------------+
 *     ShmSharedLock's words             commits so far;     generation << 32 | length of the    segment writers write
 *     (pid-tagged owner)                value is slot       bytes in that slot               into (the largest)
 *                                       (sequence & 1)
 *
 *   data segment "&lt;value path&gt;-&lt;generation&gt;"
 *   0 .. 4096: segment header | 4096: slot 0, capacity C | 4096 + C: slot 1, capacity C    (C = (length - 4096) / 2)
 * </pre>
 *
 * <p>Memory order: slots, newest generation and sequence are written only under the writers' lock, the sequence last
 * with a release store (it publishes the slot's bytes and its descriptor); readers take no lock: they read the
 * sequence and the committed slot's descriptor with acquire loads, copy, then (after an acquire fence) read the
 * sequence again and keep the copy only if it has not moved. A writer writes only the other slot, so a reader
 * fails only if two commits happen during its copy.
 */
final class ShmValueDescriptor {
    static final int LOCK_OFFSET = 0;
    static final int SEQUENCE_OFFSET = 16;
    static final int SLOT_0_OFFSET = 24;
    static final int SLOT_1_OFFSET = 32;
    static final int NEWEST_OFFSET = 40;

    /** Where slot 0 starts in a data segment: page-aligned, after the header. */
    static final int DATA_OFFSET = ShmSegmentDescriptor.HEADER_LENGTH;
    /** The smallest slot: one page. */
    static final int MIN_SLOT = 4096;
    /** The largest slot: two of them and the header fit a mapping indexed by int, page-aligned. */
    static final int MAX_SLOT = ((Integer.MAX_VALUE - DATA_OFFSET) / 2) & -MIN_SLOT;
    /** A slot larger than this is replaced by a smaller one when a value 16 times smaller is stored. */
    static final int SHRINK_ABOVE = 1 << 20;

    private ShmValueDescriptor() {
    }

    /** @return the cell offset of the descriptor of slot 0 or 1 */
    static int slotOffset(long slot) {
        return slot == 0 ? SLOT_0_OFFSET : SLOT_1_OFFSET;
    }

    /** @return a slot descriptor: where the bytes are, and how many */
    static long slot(long generation, int length) {
        return generation << 32 | (length & 0xffff_ffffL);
    }

    static long generation(long slot) {
        return slot >>> 32;
    }

    static int length(long slot) {
        return (int) slot;
    }

    /** @return the capacity of each slot of a data segment of this length */
    static int slotCapacity(int segmentLength) {
        return (segmentLength - DATA_OFFSET) / 2;
    }

    /** @return where slot 0 or 1 starts in a data segment whose slots hold {@code capacity} bytes */
    static int slotStart(long slot, int capacity) {
        return DATA_OFFSET + (int) slot * capacity;
    }

    /** @return the slot capacity of a new generation for a value of {@code length} bytes: a power of two or the most */
    static int capacityFor(int length) {
        if (length > MAX_SLOT / 2) {
            return MAX_SLOT;
        }
        return Math.max(MIN_SLOT, Integer.highestOneBit(Math.max(1, length - 1)) << 1);
    }

    /** @return whether a value of {@code length} bytes needs a new generation, larger or (much) smaller */
    static boolean needsNewGeneration(int length, int capacity) {
        return length > capacity || (capacity > SHRINK_ABOVE && (long) length * 16 <= capacity);
    }

    /** @return the length of a data segment whose slots hold {@code capacity} bytes */
    static int segmentLength(int capacity) {
        return DATA_OFFSET + 2 * capacity;
    }
}
