package dev.multiproc.transport.shm;

import static dev.multiproc.transport.shm.ShmRingDescriptor.*;
import static dev.multiproc.transport.shm.ShmSegment.INTS;
import static dev.multiproc.transport.shm.ShmSegment.LONGS;

import dev.multiproc.ProtocolException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * A ring of variable-length records with one producer process and one consumer process (see
 * {@link ShmRingDescriptor} for the layout and the memory ordering). This object is either the producer's or the
 * consumer's view: each side keeps its own position in a field and publishes it to the segment. Not thread-safe:
 * callers serialize the producer's calls among themselves, and the consumer's.
 */
final class ShmOneToOneRing {
    /** Receives records from {@link #read}. */
    interface RecordHandler {
        /**
         * @param data the ring's data; the payload is {@code data[index, index + length)}, valid only during the call
         * @param type the record's type (fragment flags)
         */
        void onRecord(ByteBuffer data, int index, int length, int type);
    }

    private static final byte[] ZEROS = new byte[8192];

    private final ByteBuffer segment;
    private final int base;
    private final ByteBuffer data;
    private final int capacity;
    private final int mask;
    private final String name;
    private long tail;
    private long headCache;
    private long head;

    /**
     * @param segment the mapped segment
     * @param base the ring's offset in the segment, 128-aligned
     * @param name what the ring is, for messages
     */
    ShmOneToOneRing(ByteBuffer segment, int base, String name) {
        this.segment = segment;
        this.base = base;
        this.name = name;
        this.capacity = segment.getInt(base + CAPACITY_OFFSET);
        try {
            checkCapacity(capacity);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(name + " is corrupt: " + e.getMessage());
        }
        if ((long) base + ringLength(capacity) > segment.capacity()) {
            throw new ProtocolException(name + " is corrupt: a ring of " + capacity + " bytes at offset " + base
                    + " does not fit in its " + segment.capacity() + "-byte segment");
        }
        this.mask = capacity - 1;
        this.data = segment.slice(base + HEADER_LENGTH, capacity).order(segment.order());
        // acquire: a ring re-attached after a restart continues where the positions stand
        this.tail = (long) LONGS.getAcquire(segment, base + TAIL_OFFSET);
        this.head = (long) LONGS.getAcquire(segment, base + HEAD_OFFSET);
        this.headCache = head;
    }

    /** Writes an empty ring's header into a freshly created (zeroed) segment. */
    static void initialise(ByteBuffer segment, int base, int capacity) {
        checkCapacity(capacity);
        segment.putInt(base + CAPACITY_OFFSET, capacity);
    }

    /** @return the largest payload one record carries: a quarter of the capacity, so padding never starves it */
    int maxPayload() {
        return capacity / 4 - RECORD_HEADER_LENGTH;
    }

    int capacity() {
        return capacity;
    }

    /**
     * Appends a record, if there is room.
     *
     * @param source the payload is {@code source[index, index + length)} (absolute; position untouched)
     * @param type the record type, 0 to 3 (fragment flags; 0 is a middle fragment)
     * @return false if the ring is too full now (back-pressure); the caller waits and tries again
     * @throws IllegalArgumentException if the payload is larger than {@link #maxPayload()}: it never fits
     */
    boolean offer(ByteBuffer source, int index, int length, int type) {
        if (length > maxPayload()) {
            throw new IllegalArgumentException("a record of " + length + " bytes is larger than " + name
                    + " carries in one piece (" + maxPayload() + " bytes of its " + capacity + "); split it");
        }
        int recordLength = RECORD_HEADER_LENGTH + length;
        int aligned = align(recordLength);
        int at = (int) tail & mask;
        int toEnd = capacity - at;
        int required = aligned > toEnd ? aligned + toEnd : aligned;
        if (tail + required - headCache > capacity) {
            // acquire: pairs with the consumer's release of head, after which the space it freed is zeroed
            headCache = (long) LONGS.getAcquire(segment, base + HEAD_OFFSET);
            if (tail + required - headCache > capacity) {
                return false;
            }
        }
        if (aligned > toEnd) {
            data.putInt(at + RECORD_TYPE_OFFSET, TYPE_PADDING);
            INTS.setRelease(data, at, toEnd);
            at = 0;
        }
        data.putInt(at + RECORD_TYPE_OFFSET, type);
        data.put(at + RECORD_HEADER_LENGTH, source, index, length);
        // release: the consumer that reads this length (acquire) sees the type and payload written above
        INTS.setRelease(data, at, recordLength);
        tail += required;
        // release: a producer in another process that takes over this ring (a pipe end passed on) starts from here
        LONGS.setRelease(segment, base + TAIL_OFFSET, tail);
        return true;
    }

    /**
     * Hands up to {@code limit} records to the handler, in order, and frees their space.
     *
     * @return how many records (padding not counted) were read; 0 if the ring is empty
     * @throws ProtocolException if the ring holds a record that cannot be valid (the segment is corrupt)
     */
    int read(RecordHandler handler, int limit) {
        int read = 0;
        while (read < limit) {
            int at = (int) head & mask;
            // acquire: pairs with the producer's release of the length
            int length = (int) INTS.getAcquire(data, at);
            if (length == 0) {
                break;
            }
            int aligned = align(length);
            if (length < RECORD_HEADER_LENGTH || aligned > capacity - at) {
                throw new ProtocolException(name + " is corrupt: a record at position " + head + " claims " + length
                        + " bytes, which cannot be (at most " + (capacity - at) + " fit there)");
            }
            int type = data.getInt(at + RECORD_TYPE_OFFSET);
            if (type != TYPE_PADDING) {
                if ((type & ~(KIND_MASK | TYPE_WHOLE)) != 0) {
                    throw new ProtocolException(name + " is corrupt: a record at position " + head
                            + " has unknown type " + type);
                }
                handler.onRecord(data, at + RECORD_HEADER_LENGTH, length - RECORD_HEADER_LENGTH, type);
                read++;
            }
            zero(at, aligned);
            head += aligned;
            // release: the zeroing above happens-before the producer writes into this space again
            LONGS.setRelease(segment, base + HEAD_OFFSET, head);
        }
        return read;
    }

    private void zero(int at, int length) {
        int done = 0;
        while (done < length) {
            int n = Math.min(ZEROS.length, length - done);
            data.put(at + done, ZEROS, 0, n);
            done += n;
        }
    }

    /**
     * Producer: continue from the positions in shared memory, for rings whose producer may change process (the
     * caller holds the producers' lock).
     */
    void refreshProducer() {
        tail = (long) LONGS.getAcquire(segment, base + TAIL_OFFSET);
        // headCache stays: head only grows, so an old value is a safe lower bound, and offer() reloads it when the
        // ring looks full. Not reading head here keeps the consumer's line out of every send.
    }

    /** Consumer: continue from the position in shared memory (the caller holds the consumers' lock). */
    void refreshConsumer() {
        head = (long) LONGS.getAcquire(segment, base + HEAD_OFFSET);
    }

    /**
     * Consumer: the type of the next record, without taking it (padding before it is taken).
     *
     * @return the type, or -1 if the ring is empty
     */
    int peekType() {
        while (true) {
            int at = (int) head & mask;
            int length = (int) INTS.getAcquire(data, at);
            if (length == 0) {
                return -1;
            }
            int type = data.getInt(at + RECORD_TYPE_OFFSET);
            if (type != TYPE_PADDING) {
                return type;
            }
            int aligned = align(length);
            if (aligned > capacity - at) {
                throw new ProtocolException(name + " is corrupt: padding at position " + head + " claims " + length
                        + " bytes, more than the " + (capacity - at) + " to the end");
            }
            zero(at, aligned);
            head += aligned;
            LONGS.setRelease(segment, base + HEAD_OFFSET, head);
        }
    }

    /** Consumer: is there a record to read now? */
    boolean hasRecord() {
        return (int) INTS.getAcquire(data, (int) head & mask) != 0;
    }

    /**
     * Consumer: says it is about to sleep on the doorbell. The caller then checks {@link #hasRecord()} once more
     * before it sleeps; the volatile write and the fence keep that read after this write (Dekker with
     * {@link #consumerNeedsWaking()}).
     */
    void announceSleep() {
        INTS.setVolatile(segment, base + CONSUMER_SLEEPING_OFFSET, 1);
        VarHandle.fullFence();
    }

    /** Consumer: awake again. */
    void cancelSleep() {
        INTS.setVolatile(segment, base + CONSUMER_SLEEPING_OFFSET, 0);
    }

    /**
     * Producer, after publishing: whether the consumer sleeps and must be woken. True for one caller only per sleep.
     */
    boolean consumerNeedsWaking() {
        VarHandle.fullFence(); // the record's release store stays before this read
        return (int) INTS.getVolatile(segment, base + CONSUMER_SLEEPING_OFFSET) == 1
                && INTS.compareAndSet(segment, base + CONSUMER_SLEEPING_OFFSET, 1, 0);
    }

    /** @return true if the consumer has taken every record the producer published */
    boolean isEmpty() {
        long published = (long) LONGS.getAcquire(segment, base + TAIL_OFFSET);
        long consumed = (long) LONGS.getAcquire(segment, base + HEAD_OFFSET);
        return published == consumed;
    }

    /** Producer side: no record follows (release, so the records before it are seen first). */
    void closeProducer() {
        INTS.setRelease(segment, base + PRODUCER_CLOSED_OFFSET, 1);
    }

    /** Consumer side: nobody reads any more; a producer waiting for room gives up. */
    void closeConsumer() {
        INTS.setRelease(segment, base + CONSUMER_CLOSED_OFFSET, 1);
    }

    boolean isProducerClosed() {
        return (int) INTS.getAcquire(segment, base + PRODUCER_CLOSED_OFFSET) != 0;
    }

    boolean isConsumerClosed() {
        return (int) INTS.getAcquire(segment, base + CONSUMER_CLOSED_OFFSET) != 0;
    }

    void setProducerPid(long pid) {
        LONGS.setRelease(segment, base + PRODUCER_PID_OFFSET, pid);
    }

    void setConsumerPid(long pid) {
        LONGS.setRelease(segment, base + CONSUMER_PID_OFFSET, pid);
    }

    long producerPid() {
        return (long) LONGS.getAcquire(segment, base + PRODUCER_PID_OFFSET);
    }

    long consumerPid() {
        return (long) LONGS.getAcquire(segment, base + CONSUMER_PID_OFFSET);
    }

    String name() {
        return name;
    }
}
