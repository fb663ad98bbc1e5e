package dev.multiproc.transport.shm;

import dev.multiproc.BarrierAction;
import dev.multiproc.SharedBarrier;
import dev.multiproc.SharedEvent;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedLock;
import dev.multiproc.SharedLong;
import dev.multiproc.SharedSemaphore;
import dev.multiproc.spi.ChildAttachment;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.NativeBuffer;
import dev.multiproc.spi.NativeJoinableQueue;
import dev.multiproc.spi.NativePrimitives;
import dev.multiproc.spi.NativeQueue;
import dev.multiproc.spi.NativeValue;
import dev.multiproc.spi.ParentTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The parent's side of the shm transport: makes one channel segment per child and the cells for shared values, and
 * deletes them all when the context closes.
 */
final class ShmParentTransport implements ParentTransport, NativePrimitives {
    private final Path directory;
    private final String prefix;
    private final int ringBytes;
    private final ShmTransport.Tuning tuning;
    private final int maxMessageSize;
    private final ShmCells cells;
    private final ShmDoorbellServer doorbells;
    private final Set<ShmSegment> channels = ConcurrentHashMap.newKeySet();
    private final Set<ShmSegment> pipes = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pipeNumbers = new AtomicInteger();
    private final Set<ShmSegment> queues = ConcurrentHashMap.newKeySet();
    private final Set<ShmSegment> buffers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger bufferNumbers = new AtomicInteger();
    private final AtomicInteger queueNumbers = new AtomicInteger();
    private final AtomicInteger valueNumbers = new AtomicInteger();
    private volatile boolean closed;

    ShmParentTransport(Path directory, String prefix, int ringBytes, int maxMessageSize, ShmTransport.Tuning tuning) {
        this.directory = directory;
        this.prefix = prefix;
        this.ringBytes = ringBytes;
        this.tuning = tuning;
        this.maxMessageSize = maxMessageSize;
        this.cells = new ShmCells(directory, prefix);
        this.doorbells = ShmDoorbellServer.open(directory.resolve(prefix + "bell"));
    }

    /** Joins a channel and its doorbell, whichever of the two comes first. */
    private static final class Pairing {
        private ShmChannel channel;
        private ShmDoorbell bell;

        synchronized void channel(ShmChannel made) {
            channel = made;
            if (bell != null) {
                made.attachDoorbell(bell);
            }
        }

        synchronized void bell(ShmDoorbell connected) {
            bell = connected;
            if (channel != null) {
                channel.attachDoorbell(connected);
            }
        }
    }

    /** @return the offset of the parent-to-child ring in a channel segment */
    static int toChildRing() {
        return ShmSegmentDescriptor.HEADER_LENGTH;
    }

    /** @return the offset of the child-to-parent ring in a channel segment */
    static int toParentRing(int ringBytes) {
        return ShmSegmentDescriptor.HEADER_LENGTH + ShmRingDescriptor.ringLength(ringBytes);
    }

    @Override
    public ChildAttachment prepare(String childId) throws IOException {
        if (closed) {
            throw new IOException("the shm transport has closed");
        }
        Path path = directory.resolve(prefix + "ch-" + childId);
        int length = toParentRing(ringBytes) + ShmRingDescriptor.ringLength(ringBytes);
        ShmSegment segment = ShmSegment.create(path, ShmSegmentDescriptor.KIND_CHANNEL, length);
        ShmOneToOneRing.initialise(segment.buffer(), toChildRing(), ringBytes);
        ShmOneToOneRing.initialise(segment.buffer(), toParentRing(ringBytes), ringBytes);
        Pairing pairing = new Pairing();
        byte[] token = doorbells == null ? null : doorbells.expect(pairing::bell);
        if (token != null) {
            byte[] bellPath = doorbells.path().toString().getBytes(StandardCharsets.UTF_8);
            segment.buffer().put(ShmSegmentDescriptor.CHANNEL_TOKEN_OFFSET, token);
            segment.buffer().putInt(ShmSegmentDescriptor.CHANNEL_BELL_PATH_LENGTH_OFFSET, bellPath.length);
            segment.buffer().put(ShmSegmentDescriptor.CHANNEL_BELL_PATH_OFFSET, bellPath);
        }
        segment.publish();
        channels.add(segment);
        ShmOneToOneRing out = new ShmOneToOneRing(segment.buffer(), toChildRing(), "ring to child " + childId);
        ShmOneToOneRing in = new ShmOneToOneRing(segment.buffer(), toParentRing(ringBytes),
                "ring from child " + childId);
        long self = ProcessHandle.current().pid();
        out.setProducerPid(self);
        in.setConsumerPid(self);
        return new ChildAttachment() {
            @Override
            public String descriptor() {
                return path.toString();
            }

            @Override
            public CompletableFuture<MessageChannel> attach(Process process) {
                long pid = process.pid();
                out.setConsumerPid(pid);
                in.setProducerPid(pid);
                ShmChannel channel = new ShmChannel(out, in, maxMessageSize, "child " + childId + " (pid " + pid + ")",
                        () -> pid, () -> release(segment, token), tuning);
                pairing.channel(channel);
                return CompletableFuture.completedFuture(channel);
            }

            @Override
            public void abort() {
                release(segment, token);
            }
        };
    }

    private void release(ShmSegment segment, byte[] token) {
        if (token != null) {
            doorbells.forget(token);
        }
        channels.remove(segment);
        segment.markClosed();
        segment.delete();
    }

    @Override
    public NativePrimitives primitives() {
        return this;
    }

    @Override
    public Optional<SharedInt> sharedInt(int initialValue) {
        return Optional.of(new ShmSharedInt(cells.allocate(), initialValue));
    }

    @Override
    public Optional<SharedLong> sharedLong(long initialValue) {
        return Optional.of(new ShmSharedLong(cells.allocate(), initialValue));
    }

    @Override
    public Optional<SharedLock> lock(boolean reentrant) {
        return Optional.of(new ShmSharedLock(cells.allocate(), reentrant));
    }

    @Override
    public Optional<SharedSemaphore> semaphore(int permits) {
        return Optional.of(new ShmSharedSemaphore(cells.allocate(), permits));
    }

    @Override
    public Optional<SharedEvent> event() {
        return Optional.of(new ShmSharedEvent(cells.allocate()));
    }

    @Override
    public Optional<SharedBarrier> barrier(int parties, BarrierAction action, Duration timeout) {
        if (parties > ShmSharedBarrier.MAX_PARTIES) {
            return Optional.empty(); // the hub's has no such limit
        }
        long timeoutNanos = timeout == null ? -1 : saturatedNanos(timeout);
        return Optional.of(new ShmSharedBarrier(cells.allocate(ShmSharedBarrier.cells(parties)), parties, action,
                timeoutNanos));
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public Optional<PipeEnds> pipe(boolean duplex) {
        int number = pipeNumbers.incrementAndGet();
        Path path = directory.resolve(prefix + "pipe-" + number);
        int toLeft = ShmSegmentDescriptor.HEADER_LENGTH;
        int toRight = toLeft + ShmRingDescriptor.ringLength(ringBytes);
        int length = duplex ? toRight + ShmRingDescriptor.ringLength(ringBytes) : toRight;
        ShmSegment segment;
        try {
            segment = ShmSegment.create(path, ShmSegmentDescriptor.KIND_PIPE, length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a shared-memory segment for a pipe at " + path + ": "
                    + e.getMessage() + " (is " + directory + " full? set -D" + ShmTransport.DIRECTORY.name()
                    + " to another directory)", e);
        }
        ShmOneToOneRing.initialise(segment.buffer(), toLeft, ringBytes);
        if (duplex) {
            ShmOneToOneRing.initialise(segment.buffer(), toRight, ringBytes);
        }
        segment.publish();
        ShmMappings.register(segment);
        pipes.add(segment);
        if (closed) {
            release(pipes);
            throw new IllegalStateException("the context has closed");
        }
        ShmSharedLock toLeftConsumer = new ShmSharedLock(cells.allocate(), false);
        ShmSharedLock toLeftProducer = new ShmSharedLock(cells.allocate(), false);
        ShmSharedLock toRightConsumer = duplex ? new ShmSharedLock(cells.allocate(), false) : null;
        ShmSharedLock toRightProducer = duplex ? new ShmSharedLock(cells.allocate(), false) : null;
        String where = path.toString();
        ShmPipeEnd left = new ShmPipeEnd(where, "left#" + number, toLeft, toLeftConsumer, duplex ? toRight : -1,
                toRightProducer);
        ShmPipeEnd right = new ShmPipeEnd(where, "right#" + number, duplex ? toRight : -1, toRightConsumer, toLeft,
                toLeftProducer);
        return Optional.of(new PipeEnds(left, right));
    }

    @Override
    public Optional<NativeQueue> queue(int capacity) {
        return Optional.of(newQueue(capacity));
    }

    @Override
    public Optional<NativeJoinableQueue> joinableQueue() {
        return Optional.of(new ShmJoinableQueue(cells.allocate(), newQueue(Integer.MAX_VALUE)));
    }

    private ShmQueue newQueue(int capacity) {
        int number = queueNumbers.incrementAndGet();
        Path path = directory.resolve(prefix + "queue-" + number);
        ShmSegment segment;
        try {
            segment = ShmSegment.create(path, ShmSegmentDescriptor.KIND_QUEUE, ShmQueue.firstSegmentLength());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a shared-memory segment for a queue at " + path + ": "
                    + e.getMessage() + " (is " + directory + " full? set -D" + ShmTransport.DIRECTORY.name()
                    + " to another directory)", e);
        }
        ShmQueue.initialise(segment.buffer(), capacity);
        segment.publish();
        ShmMappings.register(segment);
        queues.add(segment);
        if (closed) {
            releaseQueues();
            throw new IllegalStateException("the context has closed");
        }
        return new ShmQueue(path.toString(), "#" + number, maxMessageSize,
                new ShmSharedLock(cells.allocate(), false), new ShmSharedLock(cells.allocate(), false));
    }

    @Override
    public Optional<NativeBuffer> buffer(long size) {
        Path path = directory.resolve(prefix + "buffer-" + bufferNumbers.incrementAndGet());
        ShmSegment segment;
        try {
            segment = ShmSegment.create(path, ShmSegmentDescriptor.KIND_BUFFER,
                    Math.toIntExact(ShmSegmentDescriptor.BUFFER_DATA_OFFSET + size));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a shared-memory segment for a buffer of " + size
                    + " bytes at " + path + ": " + e.getMessage() + " (is " + directory + " full? set -D"
                    + ShmTransport.DIRECTORY.name() + " to another directory)", e);
        }
        // a sparse file: tmpfs gives it pages as they are first touched, zeroed; the lock's cell is zero (free)
        segment.publish();
        ShmMappings.register(segment);
        buffers.add(segment);
        if (closed) {
            release(buffers);
            throw new IllegalStateException("the context has closed");
        }
        return Optional.of(new ShmBuffer(path, size));
    }

    @Override
    public long maxBufferSize() {
        return ShmBuffer.MAX_SIZE;
    }

    @Override
    public Optional<NativeValue> value(byte[] initial) {
        Path base = directory.resolve(prefix + "value-" + valueNumbers.incrementAndGet());
        ShmValue value = ShmValue.create(cells.allocate(), base, initial);
        if (closed) {
            releaseValues();
            throw new IllegalStateException("the context has closed");
        }
        return Optional.of(value);
    }

    @Override
    public long maxValueSize() {
        return ShmValueDescriptor.MAX_SLOT;
    }

    /**
     * Deletes every value's data segments, whichever process made them (a child that stored a larger value made a
     * generation): all are named after the context's prefix.
     */
    private void releaseValues() {
        try (DirectoryStream<Path> generations = Files.newDirectoryStream(directory, prefix + "value-*")) {
            for (Path generation : generations) {
                Files.deleteIfExists(generation);
            }
        } catch (IOException e) {
            System.getLogger("dev.multiproc.shm").log(System.Logger.Level.WARNING,
                    "could not delete the shared values' segments in " + directory + "; the next context sweeps them", e);
        }
    }

    /** Deletes every queue's first segment and the parts it grew (named after it). */
    private void releaseQueues() {
        for (Iterator<ShmSegment> each = queues.iterator(); each.hasNext(); ) {
            ShmSegment segment = each.next();
            each.remove(); // a concurrent set: its iterator removes safely
            segment.markClosed();
            segment.delete();
            ShmMappings.forget(segment);
            String parts = segment.path().getFileName() + "-*";
            try (DirectoryStream<Path> grown = Files.newDirectoryStream(directory, parts)) {
                for (Path part : grown) {
                    Files.deleteIfExists(part);
                }
            } catch (IOException e) {
                System.getLogger("dev.multiproc.shm").log(System.Logger.Level.DEBUG,
                        "could not delete the parts of " + segment.path() + "; the next context sweeps them", e);
            }
        }
    }

    /** Marks closed and deletes every segment of the set. */
    private static void release(Set<ShmSegment> segments) {
        for (Iterator<ShmSegment> each = segments.iterator(); each.hasNext(); ) {
            ShmSegment segment = each.next();
            each.remove();
            segment.markClosed();
            segment.delete();
            ShmMappings.forget(segment);
        }
    }

    @Override
    public void close() {
        closed = true;
        release(pipes);
        release(buffers);
        releaseQueues();
        for (ShmSegment segment : channels) {
            release(segment, null);
        }
        cells.close();
        releaseValues(); // after the cells: a value's handles say the context closed, not that its bytes are gone
        if (doorbells != null) {
            doorbells.close();
        }
    }
}
