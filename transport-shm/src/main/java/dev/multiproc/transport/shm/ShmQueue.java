package dev.multiproc.transport.shm;

import static dev.multiproc.transport.shm.ShmSegment.INTS;
import static dev.multiproc.transport.shm.ShmSegment.LONGS;

import dev.multiproc.ChannelClosedException;
import dev.multiproc.spi.NativeQueue;
import java.io.IOException;
import java.io.Serial;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A queue in shared memory: a chain of one-to-one rings, written under a producers' lock and read under a
 * consumers' lock (both {@link ShmSharedLock}s, recovered if a holder dies), so any number of processes and threads
 * may put and get. An unbounded queue never makes a producer wait: when the current ring is full, the producer makes
 * a ring twice as large in a new segment, seals the old one and moves on; consumers drain a sealed ring, move on and
 * delete it. An element is one record, whole, so a ring grows to four times the largest element it must hold.
 *
 * <p>Shared state, in the first segment after its header (see {@link #STATE}):
 *
 * <pre>
 *   +0    producers' ring number, long   (release by the producer that moves on; acquire by everyone)
 *   +128  consumers' ring number, long   (the same, for consumers)
 *   +256  element count, long            (atomic getAndAdd: reserved by producers before they write, given back
 *                                          by consumers after they take)
 *   +384  closed, int | capacity, int
 *   +512  ring 0
 * </pre>
 *
 * Waiters never hold a lock: they watch the count and the closed flag (acquire) with a {@link ShmIdleStrategy}, and
 * take the lock only to act.
 */
final class ShmQueue implements NativeQueue {
    @Serial
    private static final long serialVersionUID = 1L;

    static final int STATE = ShmSegmentDescriptor.HEADER_LENGTH;
    private static final int PRODUCER_RING = STATE;
    private static final int CONSUMER_RING = STATE + 128;
    private static final int COUNT = STATE + 256;
    private static final int CLOSED = STATE + 384;
    private static final int CAPACITY = STATE + 388;
    static final int FIRST_RING = STATE + 512;
    private static final int PART_RING = ShmSegmentDescriptor.HEADER_LENGTH;
    static final int FIRST_RING_BYTES = 256 * 1024;
    private static final int MAX_RING_BYTES = 1 << 30;

    private final String path;
    private final String name;
    private final int maxElementSize;
    private final ShmSharedLock producers;
    private final ShmSharedLock consumers;
    private transient volatile ShmSegment root;
    private transient Map<Long, ShmOneToOneRing> rings;

    ShmQueue(String path, String name, int maxElementSize, ShmSharedLock producers, ShmSharedLock consumers) {
        this.path = path;
        this.name = name;
        this.maxElementSize = maxElementSize;
        this.producers = producers;
        this.consumers = consumers;
    }

    /** Writes a new queue's state into its freshly created first segment. */
    static void initialise(ByteBuffer segment, int capacity) {
        segment.putInt(CAPACITY, capacity);
        ShmOneToOneRing.initialise(segment, FIRST_RING, FIRST_RING_BYTES);
    }

    /** @return the bytes of the first segment */
    static int firstSegmentLength() {
        return FIRST_RING + ShmRingDescriptor.ringLength(FIRST_RING_BYTES);
    }

    private ByteBuffer state() {
        ShmSegment segment = root;
        if (segment == null) {
            segment = ShmMappings.get(Paths.get(path), ShmSegmentDescriptor.KIND_QUEUE);
            root = segment;
        }
        segment.checkLive();
        return segment.buffer();
    }

    private synchronized Map<Long, ShmOneToOneRing> rings() {
        if (rings == null) {
            rings = new ConcurrentHashMap<>();
        }
        return rings;
    }

    private Path partPath(long number) {
        return Paths.get(path + "-" + number);
    }

    private ShmOneToOneRing ring(long number) {
        return rings().computeIfAbsent(number, n -> {
            if (n == 0) {
                return new ShmOneToOneRing(state(), FIRST_RING, "ring 0 of " + this);
            }
            try {
                ShmSegment part = ShmSegment.open(partPath(n), ShmSegmentDescriptor.KIND_QUEUE_PART);
                return new ShmOneToOneRing(part.buffer(), PART_RING, "ring " + n + " of " + this);
            } catch (IOException e) {
                throw new IllegalStateException("ring " + n + " of " + this + " is gone: " + e.getMessage(), e);
            }
        });
    }

    @Override
    public boolean offer(byte[] element, long timeout, TimeUnit unit) throws InterruptedException {
        if (element.length > maxElementSize) {
            throw new IllegalArgumentException("an element of " + element.length + " bytes exceeds the maximum of "
                    + maxElementSize + " bytes (raise it with -Dmultiproc.maxMessageSize)");
        }
        ByteBuffer state = state();
        long deadline = deadline(timeout, unit);
        if (!reserve(state, deadline)) {
            return false;
        }
        boolean written = false;
        producers.lock();
        try {
            checkOpen(state);
            write(state, element);
            written = true;
            return true;
        } finally {
            producers.unlock();
            if (!written) {
                LONGS.getAndAdd(state, COUNT, -1L);
            }
        }
    }

    /** Takes a place in the count, waiting while a bounded queue is full. */
    private boolean reserve(ByteBuffer state, long deadline) throws InterruptedException {
        int capacity = state.getInt(CAPACITY);
        if (capacity == Integer.MAX_VALUE) {
            checkOpen(state);
            LONGS.getAndAdd(state, COUNT, 1L);
            return true;
        }
        ShmIdleStrategy idle = new ShmIdleStrategy();
        while (true) {
            checkOpen(state);
            long count = (long) LONGS.getVolatile(state, COUNT);
            if (count < capacity) {
                if (LONGS.compareAndSet(state, COUNT, count, count + 1)) {
                    return true;
                }
                continue;
            }
            if (expired(deadline)) {
                return false;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            idle.idle();
        }
    }

    /** The caller holds the producers' lock. */
    private void write(ByteBuffer state, byte[] element) {
        ByteBuffer source = ByteBuffer.wrap(element);
        long number = (long) LONGS.getAcquire(state, PRODUCER_RING);
        ShmOneToOneRing ring = ring(number);
        ring.refreshProducer();
        if (element.length <= ring.maxPayload()
                && ring.offer(source, 0, element.length, ShmRingDescriptor.TYPE_WHOLE)) {
            return;
        }
        long next = number + 1;
        int bytes = Math.max(ring.capacity() * 2, Integer.highestOneBit(
                (int) Math.min(MAX_RING_BYTES, 4L * ShmRingDescriptor.align(element.length + 64))) << 1);
        bytes = Math.min(bytes, MAX_RING_BYTES);
        Path partPath = partPath(next);
        ShmSegment part;
        try {
            part = ShmSegment.create(partPath, ShmSegmentDescriptor.KIND_QUEUE_PART,
                    PART_RING + ShmRingDescriptor.ringLength(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot grow " + this + ": no segment of " + bytes + " bytes at "
                    + partPath + " (" + e.getMessage() + ")", e);
        }
        ShmOneToOneRing.initialise(part.buffer(), PART_RING, bytes);
        part.publish();
        ShmOneToOneRing larger = new ShmOneToOneRing(part.buffer(), PART_RING, "ring " + next + " of " + this);
        if (element.length > larger.maxPayload()
                || !larger.offer(source, 0, element.length, ShmRingDescriptor.TYPE_WHOLE)) {
            part.delete();
            throw new IllegalArgumentException("an element of " + element.length + " bytes is larger than a shm"
                    + " queue carries");
        }
        rings().put(next, larger);
        ring.closeProducer(); // sealed: consumers drain it and move on (release: its records come first)
        LONGS.setRelease(state, PRODUCER_RING, next);
        rings().remove(number);
    }

    @Override
    public byte[] poll(long timeout, TimeUnit unit) throws InterruptedException {
        ByteBuffer state = state();
        long deadline = deadline(timeout, unit);
        ShmIdleStrategy idle = new ShmIdleStrategy();
        while (true) {
            if ((long) LONGS.getVolatile(state, COUNT) > 0 || isClosed(state)) {
                byte[] element = take(state);
                if (element != null) {
                    return element;
                }
                if (isClosed(state) && (long) LONGS.getVolatile(state, COUNT) <= 0) {
                    throw new ChannelClosedException(this + " is closed and empty");
                }
            }
            if (expired(deadline)) {
                return null;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            idle.idle();
        }
    }

    /** @return the head, or null if there is none yet */
    private byte[] take(ByteBuffer state) {
        consumers.lock();
        try {
            while (true) {
                long number = (long) LONGS.getAcquire(state, CONSUMER_RING);
                ShmOneToOneRing ring = ring(number);
                ring.refreshConsumer();
                boolean sealed = ring.isProducerClosed();
                Taken taken = new Taken();
                if (ring.read(taken, 1) > 0) {
                    LONGS.getAndAdd(state, COUNT, -1L);
                    return taken.element;
                }
                if (!sealed) {
                    return null;
                }
                LONGS.setRelease(state, CONSUMER_RING, number + 1);
                rings().remove(number);
                if (number > 0) {
                    try {
                        java.nio.file.Files.deleteIfExists(partPath(number));
                    } catch (IOException e) {
                        // the context's close deletes it
                    }
                }
            }
        } finally {
            consumers.unlock();
        }
    }

    /** Copies the one record it is given out of the ring. */
    private static final class Taken implements ShmOneToOneRing.RecordHandler {
        byte[] element;

        @Override
        public void onRecord(ByteBuffer data, int index, int length, int type) {
            element = new byte[length];
            data.get(index, element);
        }
    }

    private void checkOpen(ByteBuffer state) {
        if (isClosed(state)) {
            throw new ChannelClosedException(this + " is closed");
        }
    }

    private static boolean isClosed(ByteBuffer state) {
        return (int) INTS.getAcquire(state, CLOSED) != 0;
    }

    private static long deadline(long timeout, TimeUnit unit) {
        long nanos = unit.toNanos(timeout);
        return nanos >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE : System.nanoTime() + Math.max(0, nanos);
    }

    private static boolean expired(long deadline) {
        return deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0;
    }

    @Override
    public int size() {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, (long) LONGS.getVolatile(state(), COUNT)));
    }

    @Override
    public void close() {
        INTS.setRelease(state(), CLOSED, 1);
    }

    @Override
    public String toString() {
        return "shm queue " + name;
    }
}
