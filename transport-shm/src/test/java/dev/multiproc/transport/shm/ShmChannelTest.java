package dev.multiproc.transport.shm;

import static org.junit.jupiter.api.Assertions.*;

import dev.multiproc.tck.TckTimeouts;
import dev.multiproc.ProtocolException;
import dev.multiproc.spi.MessageHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The shm channel and its rings, both ends in one JVM. */
@Timeout(60)
class ShmChannelTest {
    private static final int RING = 16 * 1024;

    @TempDir
    Path directory;
    private ShmSegment segment;
    private final List<ShmChannel> channels = new ArrayList<>();

    @BeforeEach
    void createSegment() throws IOException {
        int length = ShmParentTransport.toParentRing(RING) + ShmRingDescriptor.ringLength(RING);
        segment = ShmSegment.create(directory.resolve("multiproc-test-ch"), ShmSegmentDescriptor.KIND_CHANNEL, length);
        ShmOneToOneRing.initialise(segment.buffer(), ShmParentTransport.toChildRing(), RING);
        ShmOneToOneRing.initialise(segment.buffer(), ShmParentTransport.toParentRing(RING), RING);
        segment.publish();
    }

    @AfterEach
    void close() {
        channels.forEach(ShmChannel::close);
        segment.delete();
    }

    private ShmOneToOneRing ring(int offset, String name) {
        return new ShmOneToOneRing(segment.buffer(), offset, name);
    }

    private ShmChannel parentSide(int max) {
        ShmChannel channel = new ShmChannel(ring(ShmParentTransport.toChildRing(), "down"),
                ring(ShmParentTransport.toParentRing(RING), "up"), max, "child", () -> 0, null, ShmTransport.Tuning.ofThisProcess());
        channels.add(channel);
        return channel;
    }

    private ShmChannel childSide(int max) {
        ShmChannel channel = new ShmChannel(ring(ShmParentTransport.toParentRing(RING), "up"),
                ring(ShmParentTransport.toChildRing(), "down"), max, "parent", () -> 0, null, ShmTransport.Tuning.ofThisProcess());
        channels.add(channel);
        return channel;
    }

    /** Collects copies of what arrives, and the close. */
    static final class Collector implements MessageHandler {
        final LinkedBlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();

        @Override
        public void onMessage(ByteBuffer message) {
            byte[] copy = new byte[message.remaining()];
            message.get(copy);
            messages.add(copy);
        }

        @Override
        public void onClose(Throwable cause) {
            closed.complete(cause);
        }

        byte[] next() throws InterruptedException {
            byte[] message = messages.poll(TckTimeouts.millis(20), TimeUnit.MILLISECONDS);
            assertNotNull(message, "no message arrived");
            return message;
        }
    }

    private static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + seed + (i >>> 11));
        }
        return bytes;
    }

    @Test
    void messagesOfEverySizeArriveInOrderAcrossWrapAround() throws Exception {
        ShmChannel sender = parentSide(1 << 20);
        ShmChannel receiver = childSide(1 << 20);
        Collector collector = new Collector();
        receiver.start(collector);
        sender.start(new Collector());
        int[] sizes = {0, 1, 7, 8, 9, 100, 1000, 4088, 4089, 5000, RING / 2, RING, 3 * RING + 5, 200_000};
        for (int round = 0; round < 20; round++) {
            for (int size : sizes) {
                sender.send(ByteBuffer.wrap(pattern(size, round)));
            }
        }
        for (int round = 0; round < 20; round++) {
            for (int size : sizes) {
                assertArrayEquals(pattern(size, round), collector.next(), "size " + size + " round " + round);
            }
        }
    }

    @Test
    void largeMessagesCrossBothWaysAtOnce() throws Exception {
        ShmChannel parent = parentSide(8 << 20);
        ShmChannel child = childSide(8 << 20);
        Collector atChild = new Collector();
        Collector atParent = new Collector();
        child.start(atChild);
        parent.start(atParent);
        byte[] big = pattern(4 << 20, 3);
        CompletableFuture<Void> up = CompletableFuture.runAsync(() -> {
            try {
                child.send(ByteBuffer.wrap(big));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        parent.send(ByteBuffer.wrap(big));
        up.get(TckTimeouts.millis(20), TimeUnit.MILLISECONDS);
        assertArrayEquals(big, atChild.next());
        assertArrayEquals(big, atParent.next());
    }

    @Test
    void closeIsSeenAfterTheLastMessage() throws Exception {
        ShmChannel sender = parentSide(1 << 20);
        ShmChannel receiver = childSide(1 << 20);
        Collector collector = new Collector();
        receiver.start(collector);
        for (int i = 0; i < 100; i++) {
            sender.send(ByteBuffer.wrap(pattern(500, i)));
        }
        sender.close();
        assertNull(collector.closed.get(TckTimeouts.millis(20), TimeUnit.MILLISECONDS));
        assertEquals(100, collector.messages.size());
        assertThrows(IOException.class, () -> sender.send(ByteBuffer.wrap(new byte[1])));
    }

    @Test
    void oversizedMessageIsRefusedBeforeAnythingIsSent() throws Exception {
        ShmChannel sender = parentSide(1000);
        assertThrows(IllegalArgumentException.class, () -> sender.send(ByteBuffer.wrap(new byte[1001])));
        ShmChannel receiver = childSide(1000);
        Collector collector = new Collector();
        receiver.start(collector);
        sender.send(ByteBuffer.wrap(pattern(1000, 1)));
        assertArrayEquals(pattern(1000, 1), collector.next());
    }

    @Test
    void recordLargerThanTheRingIsRefused() {
        ShmOneToOneRing ring = ring(ShmParentTransport.toChildRing(), "down");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ring.offer(ByteBuffer.allocate(RING), 0, RING, ShmRingDescriptor.TYPE_WHOLE));
        assertTrue(refused.getMessage().contains("larger than"), refused.getMessage());
    }

    @Test
    void fullRingBackPressuresAndNeverOverwrites() {
        ShmOneToOneRing producer = ring(ShmParentTransport.toChildRing(), "down");
        byte[] record = pattern(1000, 9);
        int accepted = 0;
        while (producer.offer(ByteBuffer.wrap(record), 0, record.length, ShmRingDescriptor.TYPE_WHOLE)) {
            accepted++;
        }
        assertEquals(RING / 1008, accepted, "records of 1008 bytes in a " + RING + "-byte ring");
        ShmOneToOneRing consumer = ring(ShmParentTransport.toChildRing(), "down");
        List<byte[]> read = new ArrayList<>();
        consumer.read((data, index, length, type) -> {
            byte[] copy = new byte[length];
            data.get(index, copy);
            read.add(copy);
        }, Integer.MAX_VALUE);
        assertEquals(accepted, read.size());
        read.forEach(bytes -> assertArrayEquals(record, bytes));
        assertTrue(producer.offer(ByteBuffer.wrap(record), 0, record.length, ShmRingDescriptor.TYPE_WHOLE));
    }

    @Test
    void senderToAFullRingWhoseReaderDiedFailsInsteadOfHanging() throws Exception {
        long deadPid = deadPid();
        ShmChannel sender = new ShmChannel(ring(ShmParentTransport.toChildRing(), "down"),
                ring(ShmParentTransport.toParentRing(RING), "up"), 1 << 20, "child", () -> deadPid, null, ShmTransport.Tuning.ofThisProcess());
        channels.add(sender);
        IOException failure = assertThrows(IOException.class, () -> {
            for (int i = 0; i < 1000; i++) {
                sender.send(ByteBuffer.wrap(new byte[1000]));
            }
        });
        assertTrue(failure.getMessage().contains("has exited"), failure.getMessage());
    }

    @Test
    void corruptRecordClosesTheChannelWithAProtocolException() throws Exception {
        ShmChannel receiver = childSide(1 << 20);
        // a length word that claims more than the ring holds, at the reader's next record
        ShmSegment.INTS.setRelease(segment.buffer(), ShmParentTransport.toChildRing() + ShmRingDescriptor.HEADER_LENGTH,
                RING * 2);
        Collector collector = new Collector();
        receiver.start(collector);
        Throwable cause = collector.closed.get(TckTimeouts.millis(20), TimeUnit.MILLISECONDS);
        assertInstanceOf(ProtocolException.class, cause);
        assertTrue(cause.getMessage().contains("corrupt"), cause.getMessage());
    }

    @Test
    void truncatedCorruptOrForeignSegmentsAreRefusedClearly() throws IOException {
        Path truncated = directory.resolve("truncated");
        Files.write(truncated, new byte[100]);
        assertTrue(assertThrows(ProtocolException.class,
                () -> ShmSegment.open(truncated, ShmSegmentDescriptor.KIND_CHANNEL)).getMessage().contains("truncated"));

        Path garbage = directory.resolve("garbage");
        Files.write(garbage, pattern(8192, 5));
        assertTrue(assertThrows(ProtocolException.class,
                () -> ShmSegment.open(garbage, ShmSegmentDescriptor.KIND_CHANNEL)).getMessage().contains("not a multiproc"));

        Path shortened = directory.resolve("shortened");
        byte[] whole = Files.readAllBytes(segment.path());
        Files.write(shortened, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertTrue(assertThrows(ProtocolException.class,
                () -> ShmSegment.open(shortened, ShmSegmentDescriptor.KIND_CHANNEL)).getMessage().contains("truncated"));

        Path otherVersion = directory.resolve("other-version");
        byte[] copy = whole.clone();
        copy[ShmSegmentDescriptor.VERSION_OFFSET] = 99;
        Files.write(otherVersion, copy);
        assertTrue(assertThrows(ProtocolException.class,
                () -> ShmSegment.open(otherVersion, ShmSegmentDescriptor.KIND_CHANNEL)).getMessage().contains("version 99"));

        assertTrue(assertThrows(ProtocolException.class,
                () -> ShmSegment.open(segment.path(), ShmSegmentDescriptor.KIND_CELLS)).getMessage().contains("expected cells"));

        Path corruptRing = directory.resolve("corrupt-ring");
        byte[] badCapacity = whole.clone();
        java.nio.ByteBuffer.wrap(badCapacity).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(ShmParentTransport.toChildRing() + ShmRingDescriptor.CAPACITY_OFFSET, 12345);
        Files.write(corruptRing, badCapacity);
        ShmSegment opened = ShmSegment.open(corruptRing, ShmSegmentDescriptor.KIND_CHANNEL);
        assertTrue(assertThrows(ProtocolException.class,
                () -> new ShmOneToOneRing(opened.buffer(), ShmParentTransport.toChildRing(), "ring"))
                .getMessage().contains("corrupt"));

        assertThrows(IOException.class, () -> ShmSegment.open(directory.resolve("missing"),
                ShmSegmentDescriptor.KIND_CHANNEL));
    }

    @Test
    void aMessageSentBeforeTheSenderHadItsDoorbellWakesAReaderAsleepOnIts() throws Exception {
        ShmDoorbellServer server = ShmDoorbellServer.open(directory.resolve("bell"));
        assertNotNull(server, "no Unix-domain sockets here");
        try {
            CompletableFuture<ShmDoorbell> parentBell = new CompletableFuture<>();
            byte[] token = server.expect(parentBell::complete);
            ShmChannel child = childSide(1 << 20);
            child.attachDoorbell(ShmDoorbellServer.connect(directory.resolve("bell"), token));
            Collector collector = new Collector();
            child.start(collector);
            // wait until the child's reader sleeps on its bell
            int sleeping = ShmParentTransport.toChildRing() + ShmRingDescriptor.CONSUMER_SLEEPING_OFFSET;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while ((int) ShmSegment.INTS.getVolatile(segment.buffer(), sleeping) != 1) {
                assertTrue(System.nanoTime() < deadline, "the idle reader never went to sleep");
                Thread.onSpinWait();
            }
            ShmChannel parent = parentSide(1 << 20);
            parent.send(ByteBuffer.wrap(pattern(100, 1))); // no bell yet: nobody can ring
            parent.attachDoorbell(parentBell.get(TckTimeouts.millis(20), TimeUnit.MILLISECONDS));
            assertArrayEquals(pattern(100, 1), collector.next());
        } finally {
            server.close();
        }
    }

    /** @return the pid of a process that has exited */
    static long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }
}
