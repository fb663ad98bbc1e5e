package dev.multiproc.benchmarks.raw;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Ping-pong through a file mapped by two JVMs (in {@code /dev/shm}, else the temporary directory), with a
 * {@link VarHandle} on the {@link MappedByteBuffer} and busy spinning: the medium of the shm transport. Round trips
 * are timed in batches of 1,000 (a clock read costs a sizeable part of one), small-message throughput is a
 * one-to-one ring of 64-byte slots carrying 16-byte messages. The file is deleted afterwards.
 *
 * <pre>
 *   0  ping: long, written by the parent (release), read by the child (acquire)
 *  64  pong: long, written by the child (release), read by the parent (acquire)
 * 128  ring tail: long, messages published by the parent (release), read by the child (acquire)
 * 192  ring head: long, messages consumed by the child (release), read by the parent (acquire)
 * 4096 ring slots: SLOTS x 64 bytes; a message is two plain longs at the start of its slot
 * </pre>
 * Each field has a cache line of its own, so the two processes do not share lines they both write.
 */
final class MmapPingPong {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.nativeOrder());
    private static final int PING = 0;
    private static final int PONG = 64;
    private static final int TAIL = 128;
    private static final int HEAD = 192;
    private static final int SLOTS_AT = 4096;
    private static final int SLOT = 64;
    private static final int SLOTS = 1024;
    private static final int SIZE = SLOTS_AT + SLOTS * SLOT;
    private static final int BATCH = 1_000;

    private MmapPingPong() {
    }

    static Report run(boolean quick) throws IOException, InterruptedException {
        Path dir = Path.of("/dev/shm");
        Path file = (Files.isDirectory(dir) ? dir : Path.of(System.getProperty("java.io.tmpdir")))
                .resolve("multiproc-bench-" + ProcessHandle.current().pid() + ".mmap");
        int batches = quick ? 200 : 1_000;
        long warmupMessages = quick ? 1_000_000 : 5_000_000;
        long messages = quick ? 5_000_000 : 20_000_000;
        Process child = null;
        try {
            MappedByteBuffer map = map(file, true);
            child = PeerJvm.start("mmap", file.toString(), Long.toString(warmupMessages + messages));

            long sequence = 0;
            for (int b = 0; b < batches / 2; b++) {
                sequence = pingPong(map, sequence, BATCH);
            }
            long[] samples = new long[batches];
            for (int b = 0; b < batches; b++) {
                long start = System.nanoTime();
                sequence = pingPong(map, sequence, BATCH);
                samples[b] = System.nanoTime() - start;
            }
            double rttMicros = Report.median(samples) / BATCH / 1_000.0;
            LONGS.setRelease(map, PING, -1L);

            publish(map, 0, warmupMessages);
            awaitConsumed(map, warmupMessages);
            long start = System.nanoTime();
            publish(map, warmupMessages, warmupMessages + messages);
            awaitConsumed(map, warmupMessages + messages);
            double messagesPerSecond = messages / ((System.nanoTime() - start) / 1e9);
            return new Report("mmap").put("rtt_us", rttMicros).put("small_msgs_per_s", messagesPerSecond)
                    .put("wait", "busy spin");
        } finally {
            if (child != null) {
                PeerJvm.reap(child);
            }
            Files.deleteIfExists(file);
        }
    }

    static void child(String file, long messages) throws IOException {
        MappedByteBuffer map = map(Path.of(file), false);
        long seen = 0;
        while (true) { // echo pings until the parent writes -1
            long ping;
            while ((ping = (long) LONGS.getAcquire(map, PING)) == seen) {
                Thread.onSpinWait();
            }
            if (ping < 0) {
                break;
            }
            LONGS.setRelease(map, PONG, ping);
            seen = ping;
        }
        long checksum = 0;
        for (long head = 0; head < messages; head++) {
            while ((long) LONGS.getAcquire(map, TAIL) == head) {
                Thread.onSpinWait();
            }
            int slot = SLOTS_AT + (int) (head % SLOTS) * SLOT;
            checksum += map.getLong(slot) + map.getLong(slot + 8);
            LONGS.setRelease(map, HEAD, head + 1);
        }
        if (checksum == 42) {
            System.err.println("unlikely checksum"); // keeps the reads from being optimized away
        }
    }

    private static MappedByteBuffer map(Path file, boolean create) throws IOException {
        try (FileChannel channel = create
                ? FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                        StandardOpenOption.WRITE)
                : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE);
            map.order(ByteOrder.nativeOrder());
            return map;
        }
    }

    private static long pingPong(MappedByteBuffer map, long sequence, int count) {
        for (int i = 0; i < count; i++) {
            long next = ++sequence;
            LONGS.setRelease(map, PING, next);
            while ((long) LONGS.getAcquire(map, PONG) != next) {
                Thread.onSpinWait();
            }
        }
        return sequence;
    }

    private static void publish(MappedByteBuffer map, long from, long to) {
        for (long tail = from; tail < to; tail++) {
            while (tail - (long) LONGS.getAcquire(map, HEAD) >= SLOTS) {
                Thread.onSpinWait();
            }
            int slot = SLOTS_AT + (int) (tail % SLOTS) * SLOT;
            map.putLong(slot, tail);
            map.putLong(slot + 8, ~tail);
            LONGS.setRelease(map, TAIL, tail + 1);
        }
    }

    private static void awaitConsumed(MappedByteBuffer map, long count) {
        while ((long) LONGS.getAcquire(map, HEAD) != count) {
            Thread.onSpinWait();
        }
    }
}
