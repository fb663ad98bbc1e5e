package dev.multiproc.transport.shm;

/**
 * Layout of a one-to-one ring of variable-length records, at some 128-aligned offset of a segment (after Agrona's
 * {@code RingBufferDescriptor}).
 *
 * <pre>
 *   +0    tail: producer position, long         (own 128-byte block: only the producer writes it)
 *   +128  head: consumer position, long         (own 128-byte block: only the consumer writes it)
 *   +256  producer pid, long | consumer pid, long | producer closed, int | consumer closed, int | capacity, int |
 *         consumer sleeping, int
 *   +384  data: capacity bytes, capacity a power of two
 * </pre>
 *
 * Positions only grow; {@code position & (capacity - 1)} is the index in the data. A record starts 8-aligned:
 *
 * <pre>
 *   0        4        8
 *   +--------+--------+------------------------------+---- padding to 8
 *   | length | type   | payload (length - 8 bytes)   |
 *   +--------+--------+------------------------------+----
 * </pre>
 *
 * {@code length} counts header and payload, without the alignment padding; 0 means "not written yet". The producer
 * writes type and payload with plain writes and then {@code length} with release semantics; the consumer reads
 * {@code length} with acquire semantics, so it sees the whole record or none of it. A record that would not fit
 * before the end of the data is preceded by a {@link #TYPE_PADDING} record that fills the rest. The consumer zeroes
 * what it consumed before it moves {@code head} on (release), so the producer, which reads {@code head} with
 * acquire semantics, only ever writes over zeroed memory, and a stale length is never mistaken for a new record.
 */
final class ShmRingDescriptor {
    static final int TAIL_OFFSET = 0;
    static final int HEAD_OFFSET = 128;
    static final int PRODUCER_PID_OFFSET = 256;
    static final int CONSUMER_PID_OFFSET = 264;
    static final int PRODUCER_CLOSED_OFFSET = 272;
    static final int CONSUMER_CLOSED_OFFSET = 276;
    static final int CAPACITY_OFFSET = 280;
    /**
     * 1 while the consumer sleeps on its doorbell (see {@link ShmDoorbell}). The consumer sets it and then looks at
     * the ring once more; the producer publishes a record and then looks at it; a full fence sits between the write
     * and the read on both sides, so at least one of them sees the other (Dekker) and no wake-up is lost.
     */
    static final int CONSUMER_SLEEPING_OFFSET = 284;
    static final int HEADER_LENGTH = 384;

    static final int RECORD_HEADER_LENGTH = 8;
    static final int RECORD_ALIGNMENT = 8;
    static final int RECORD_TYPE_OFFSET = 4;

    /** Fills the data from a record's index to the end; the consumer skips it. */
    static final int TYPE_PADDING = 0x10;
    /** Flag of a message's first fragment. */
    static final int FLAG_BEGIN = 1;
    /** Flag of a message's last fragment. A whole message in one record carries both flags. */
    static final int FLAG_END = 2;
    static final int TYPE_WHOLE = FLAG_BEGIN | FLAG_END;
    /** Bits 8 to 15 of a type carry the message's kind (pipes tell objects from raw bytes by it). */
    static final int KIND_SHIFT = 8;
    static final int KIND_MASK = 0xff << KIND_SHIFT;

    /** Smallest capacity, so that a record of a quarter of it still carries a useful payload. */
    static final int MIN_CAPACITY = 4096;

    private ShmRingDescriptor() {
    }

    static int align(int length) {
        return (length + RECORD_ALIGNMENT - 1) & -RECORD_ALIGNMENT;
    }

    /** @return the bytes a ring of this capacity takes in its segment */
    static int ringLength(int capacity) {
        return HEADER_LENGTH + capacity;
    }

    /**
     * @throws IllegalArgumentException unless {@code capacity} is a power of two of at least {@link #MIN_CAPACITY}
     */
    static void checkCapacity(int capacity) {
        if (capacity < MIN_CAPACITY || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity must be a power of two of at least " + MIN_CAPACITY
                    + " bytes: " + capacity);
        }
    }
}
