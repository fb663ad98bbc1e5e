package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.SharedBuffer;
import dev.multiproc.SharedDoubleArray;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedIntArray;
import dev.multiproc.SharedLock;
import dev.multiproc.SharedLongArray;
import dev.multiproc.tck.support.BufferAttachMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link SharedBuffer} and its typed arrays ({@link SharedIntArray}, {@link SharedLongArray},
 * {@link SharedDoubleArray}): bytes written in one process read in another, bulk copies larger than a message,
 * element operations that follow the JDK's atomic arrays, exact element increments from several processes at once,
 * the buffer's lock, attaching by name, clear refusals of bad arguments, and nothing left after the context closes.
 */
public abstract class SharedBufferContract extends TransportContract {
    private static final int PROCESSES = 4;
    private static final int INCREMENTS = 1000;

    /** For a transport's subclass, which JUnit instantiates. */
    protected SharedBufferContract() {
    }

    /**
     * @return true if a process that is not of the buffer's context (an unrelated JVM) can attach a buffer by name;
     *         the contract then checks it does, else that it is refused with a message that says why
     */
    protected boolean buffersAttachByNameFromAnyProcess() {
        return false;
    }

    /** @return the largest buffer the contract makes; a transport that maps memory can take 1 GiB */
    protected long largestBuffer() {
        return 64L << 20;
    }

    /** Fills {@code bytes} with a pattern that depends on {@code seed} and on each byte's position. */
    static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        int x = seed * 0x9E3779B9 + 1;
        for (int i = 0; i < length; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            bytes[i] = (byte) x;
        }
        return bytes;
    }

    static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    /** In a child: reads the whole buffer, stores its CRC in the last long, then overwrites the first half. */
    static void readThenWrite(SharedBuffer buffer, int length) {
        byte[] seen = new byte[length];
        buffer.get(0, seen);
        buffer.asLongArray(length, 1).set(0, crc(seen));
        buffer.set(0, pattern(length / 2, 2));
    }

    /**
     * A buffer of 9 MiB (several of the hub's range messages) written by the parent is read whole by a child, and
     * what the child writes is read by the parent.
     */
    @Test
    public void bytesWrittenInOneProcessAreReadInAnother() {
        within(60, "a buffer read and written across processes", () -> {
            int length = 9 << 20;
            SharedBuffer buffer = context.sharedBuffer(length + 8L);
            byte[] written = pattern(length, 1);
            buffer.set(0, written);
            ChildProcess child = context.process(() -> readThenWrite(buffer, length)).start();
            child.join();
            assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            assertEquals(crc(written), buffer.asLongArray(length, 1).get(0), "the child read other bytes");
            byte[] now = new byte[length];
            buffer.get(0, now);
            byte[] expected = written.clone();
            System.arraycopy(pattern(length / 2, 2), 0, expected, 0, length / 2);
            assertArrayEquals(expected, now, "the parent does not read what the child wrote");
            return null;
        });
    }

    /** A context whose messages are the smallest allowed still copies a buffer many times larger, both ways. */
    @Test
    public void bulkCopiesLargerThanTheLargestMessageArriveWhole() {
        within(60, "bulk copies larger than a message", () -> {
            try (Context small = Multiproc.contextBuilder().transport(transportName()).maxMessageSize(64 << 10)
                    .build()) {
                int length = 1 << 20;
                SharedBuffer buffer = small.sharedBuffer(length + 8L);
                byte[] written = pattern(length, 3);
                buffer.set(0, written);
                ChildProcess child = small.process(() -> readThenWrite(buffer, length)).start();
                child.join();
                assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
                assertEquals(crc(written), buffer.asLongArray(length, 1).get(0));
                byte[] half = new byte[length / 2];
                buffer.get(0, half);
                assertArrayEquals(pattern(length / 2, 2), half);
            }
            return null;
        });
    }

    /** Every int element operation behaves as AtomicIntegerArray's does, overflow included; bulk copies too. */
    @Test
    public void intArrayOperationsFollowAtomicIntegerArray() {
        within(20, "SharedIntArray operations", () -> {
            SharedIntArray array = context.sharedIntArray(5);
            AtomicIntegerArray reference = new AtomicIntegerArray(5);
            assertEquals(5, array.length());
            array.set(1, Integer.MAX_VALUE);
            reference.set(1, Integer.MAX_VALUE);
            assertEquals(reference.incrementAndGet(1), array.incrementAndGet(1));
            assertEquals(reference.decrementAndGet(1), array.decrementAndGet(1));
            assertEquals(reference.getAndAdd(1, 10), array.getAndAdd(1, 10));
            assertEquals(reference.addAndGet(2, -7), array.addAndGet(2, -7));
            assertEquals(reference.getAndSet(3, 42), array.getAndSet(3, 42));
            assertTrue(array.compareAndSet(3, 42, 43));
            assertFalse(array.compareAndSet(3, 42, 44));
            reference.compareAndSet(3, 42, 43);
            for (int i = 0; i < 5; i++) {
                assertEquals(reference.get(i), array.get(i), "element " + i);
            }
            array.set(1, new int[] {9, 7, 8, 6}, 1, 3);
            assertArrayEquals(new int[] {0, 7, 8, 6, 0}, array.toArray());
            int[] some = new int[4];
            array.get(2, some, 1, 2);
            assertArrayEquals(new int[] {0, 8, 6, 0}, some);
            return null;
        });
    }

    /** Every long element operation behaves as AtomicLongArray's does, beyond 32 bits and overflow. */
    @Test
    public void longArrayOperationsFollowAtomicLongArray() {
        within(20, "SharedLongArray operations", () -> {
            SharedLongArray array = context.sharedLongArray(3);
            AtomicLongArray reference = new AtomicLongArray(3);
            array.set(0, Long.MAX_VALUE);
            reference.set(0, Long.MAX_VALUE);
            assertEquals(reference.incrementAndGet(0), array.incrementAndGet(0));
            assertEquals(reference.getAndAdd(1, 1L << 40), array.getAndAdd(1, 1L << 40));
            assertEquals(reference.addAndGet(1, 1L << 33), array.addAndGet(1, 1L << 33));
            assertEquals(reference.getAndSet(2, -5), array.getAndSet(2, -5));
            assertTrue(array.compareAndSet(2, -5, 1L << 50));
            assertFalse(array.compareAndSet(2, -5, 3));
            reference.set(2, 1L << 50);
            for (int i = 0; i < 3; i++) {
                assertEquals(reference.get(i), array.get(i), "element " + i);
            }
            long[] copy = new long[3];
            array.get(0, copy, 0, 3);
            assertArrayEquals(new long[] {reference.get(0), reference.get(1), reference.get(2)}, copy);
            return null;
        });
    }

    /**
     * Double elements: get, set, getAndAdd, and compareAndSet that compares bits ({@code -0.0} is not {@code 0.0});
     * every typed view stores little-endian, so the three views and the bytes agree on every transport.
     */
    @Test
    public void doubleElementsAndViewsShareTheBufferLittleEndian() {
        within(20, "SharedDoubleArray operations and views", () -> {
            SharedDoubleArray doubles = context.sharedDoubleArray(4);
            assertEquals(0.0, doubles.getAndAdd(0, 1.5));
            assertEquals(4.0, doubles.addAndGet(0, 2.5));
            assertFalse(doubles.compareAndSet(1, -0.0, 1.0), "-0.0 matched an element that is 0.0");
            assertTrue(doubles.compareAndSet(1, 0.0, Double.NaN));
            assertTrue(Double.isNaN(doubles.getAndSet(1, 2.0)));
            doubles.set(2, new double[] {0.25, -8.0}, 0, 2);
            assertArrayEquals(new double[] {4.0, 2.0, 0.25, -8.0}, doubles.toArray());

            SharedBuffer buffer = doubles.buffer();
            assertEquals(32, buffer.size());
            assertEquals(Double.doubleToRawLongBits(4.0), buffer.asLongArray().get(0));
            SharedIntArray ints = buffer.asIntArray(8, 2);
            ints.set(0, 0x01020304);
            byte[] bytes = new byte[4];
            buffer.get(8, bytes);
            assertArrayEquals(new byte[] {4, 3, 2, 1}, bytes, "ints are not stored little-endian");
            buffer.set(9, (byte) 0x7f);
            assertEquals(0x01027f04, ints.get(0));
            assertEquals((byte) 0x7f, buffer.get(9));
            assertEquals(buffer.lock(), doubles.lock());
            assertEquals(buffer.lock(), ints.lock());
            return null;
        });
    }

    /**
     * In a child, after the start barrier: {@link #INCREMENTS} rounds of an atomic increment of an int, a long and a
     * double element; after each, it waits for another party's turn (see {@link Contention}), and counts the rounds
     * where the int had moved on since its own last increment (evidence that the processes interleaved).
     */
    static void elementIncrements(SharedIntArray ints, SharedLongArray longs, SharedDoubleArray doubles,
            Contention.Turns turns, int me) {
        Contention.takeCountedTurns(turns, PROCESSES, me, INCREMENTS, () -> {
            int now = ints.incrementAndGet(0);
            longs.getAndAdd(1, 1L << 32);
            doubles.getAndAdd(2, 1.0);
            return now;
        });
    }

    /**
     * Four processes each increment an int, a long and a double element 1,000 times at once, without a lock: none
     * of the 4,000 increments of each is lost, and the processes are seen to interleave.
     */
    @Test
    public void elementIncrementsFromManyProcessesAreExact() {
        within(60, "element increments", () -> {
            SharedIntArray ints = context.sharedIntArray(1);
            SharedLongArray longs = context.sharedLongArray(2);
            SharedDoubleArray doubles = context.sharedDoubleArray(3);
            Contention.Turns turns = Contention.Turns.of(context);
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                int me = i + 1;
                children.add(context.process(() -> elementIncrements(ints, longs, doubles, turns, me)).start());
            }
            for (ChildProcess child : children) {
                child.join();
                assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            }
            assertEquals(PROCESSES * INCREMENTS, ints.get(0), "int increments lost");
            assertEquals(((long) PROCESSES * INCREMENTS) << 32, longs.get(1), "long increments lost");
            assertEquals(PROCESSES * INCREMENTS, doubles.get(2), "double increments lost");
            assertTrue(turns.interleaved().get() >= INCREMENTS, "the children's increments interleaved only "
                    + turns.interleaved().get() + " times: they did not run at the same time, so the test proved"
                    + " nothing");
            return null;
        });
    }

    /**
     * In a child, after the start barrier: {@link #INCREMENTS} transfers of one unit from element 0 to element 1
     * under the buffer's lock, each checking first that the two still add up to {@code total}; counts in
     * {@code torn} the times they did not, and in {@code interleaved} the times the lock came from another party.
     */
    @SuppressWarnings("try") // the guard is only there to be closed
    static void lockedTransfers(SharedLongArray pair, long total, SharedInt arrived, SharedInt lastHolder,
            SharedInt finished, SharedInt torn, SharedInt interleaved, int me) {
        Contention.startTogether(arrived, PROCESSES);
        SharedLock lock = pair.lock();
        int handoffs = 0;
        for (int i = 0; i < INCREMENTS; i++) {
            try (var held = lock.acquire()) {
                long from = pair.get(0);
                if (lastHolder.getAndSet(me) != me) {
                    handoffs++;
                }
                long to = pair.get(1);
                if (from + to != total) {
                    torn.incrementAndGet();
                }
                pair.set(0, from - 1);
                pair.set(1, to + 1);
            }
            Contention.awaitAnotherTurn(lastHolder, me, finished, PROCESSES);
        }
        finished.incrementAndGet();
        interleaved.addAndGet(handoffs);
    }

    /**
     * Updates of two elements under the buffer's lock are seen whole by every other process (Python's
     * {@code with arr.get_lock():}), and none is lost.
     */
    @Test
    public void theBufferLockMakesMultiElementUpdatesAtomicAcrossProcesses() {
        within(60, "locked two-element transfers", () -> {
            long total = 1_000_000;
            SharedLongArray pair = context.sharedLongArray(2);
            pair.set(0, total);
            SharedInt arrived = context.sharedInt(0);
            SharedInt lastHolder = context.sharedInt(0);
            SharedInt finished = context.sharedInt(0);
            SharedInt torn = context.sharedInt(0);
            SharedInt interleaved = context.sharedInt(0);
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                int me = i + 1;
                children.add(context.process(() -> lockedTransfers(pair, total, arrived, lastHolder, finished, torn,
                        interleaved, me)).start());
            }
            for (ChildProcess child : children) {
                child.join();
                assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            }
            assertEquals(0, torn.get(), "a process saw a half-done transfer under the lock");
            assertEquals(total - PROCESSES * INCREMENTS, pair.get(0));
            assertEquals(PROCESSES * INCREMENTS, pair.get(1), "transfers lost");
            assertTrue(interleaved.get() >= INCREMENTS, "the lock changed hands between processes only "
                    + interleaved.get() + " times: they did not run at the same time, so the test proved nothing");
            assertFalse(pair.lock().isLocked());
            return null;
        });
    }

    /** In a child: attaches by name, checks the attached lock is the one the parent holds, and writes. */
    static void attachAndWrite(String name) {
        SharedBuffer attached = Multiproc.attachBuffer(name);
        SharedLongArray longs = attached.asLongArray();
        longs.set(1, attached.lock().tryLock() ? -1 : longs.get(0) * 2);
    }

    /**
     * A child that attaches the buffer by its name (Python's {@code SharedMemory(name=...)}) gets the same bytes and
     * the same lock.
     */
    @Test
    public void aChildAttachesABufferByName() {
        within(30, "attach by name in a child", () -> {
            SharedBuffer buffer = context.sharedBuffer(64);
            assertTrue(buffer.name().indexOf(':') > 0, "a name begins with where the buffer lives: " + buffer.name());
            buffer.asLongArray().set(0, 21);
            String name = buffer.name();
            buffer.lock().lock();
            try {
                ChildProcess child = context.process(() -> attachAndWrite(name)).start();
                child.join();
                assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            } finally {
                buffer.lock().unlock();
            }
            assertEquals(42, buffer.asLongArray().get(1), "-1: the attached buffer's lock is not the buffer's lock");
            return null;
        });
    }

    /**
     * A JVM outside the context attaches a buffer by name where the transport allows it (shared memory), and is
     * refused with a message that says why where it does not.
     */
    @Test
    public void anUnrelatedProcessAttachesByNameOrIsToldWhyNot() {
        within(60, "attach by name from an unrelated process", () -> {
            SharedBuffer buffer = context.sharedBuffer(16);
            buffer.asLongArray().set(0, 1234);
            Process other = new ProcessBuilder(javaCommand(BufferAttachMain.class, List.of(), buffer.name()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String output;
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(other.getInputStream(),
                    StandardCharsets.UTF_8))) {
                output = String.join("\n", lines.lines().toList());
            }
            int status = other.waitFor();
            if (buffersAttachByNameFromAnyProcess()) {
                assertEquals(0, status, output);
                assertEquals("ATTACHED 16", output);
                assertEquals(1235, buffer.asLongArray().get(1), "the other process wrote elsewhere");
            } else {
                assertEquals(2, status, output);
                assertTrue(output.startsWith("REFUSED dev.multiproc.MultiprocException") && output.contains(
                        "only that context's processes"), "not a clear refusal: " + output);
            }
            return null;
        });
    }

    /** A buffer of the largest size the transport declares is made, written at both ends, and read elsewhere. */
    @Test
    public void theLargestBufferWorksAtBothEnds() {
        within(60, "the largest buffer", () -> {
            long size = largestBuffer();
            SharedBuffer buffer = context.sharedBuffer(size);
            assertEquals(size, buffer.size());
            SharedLongArray longs = buffer.asLongArray();
            longs.set(longs.length() - 1, 77);
            ChildProcess child = context.process(() -> buffer.asLongArray().set(0,
                    buffer.asLongArray().get(buffer.asLongArray().length() - 1) + 1)).start();
            child.join();
            assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            assertEquals(78, longs.get(0));
            return null;
        });
    }

    /** Bad sizes, ranges, alignments and names are refused with the exceptions the API documents. */
    @Test
    public void badArgumentsAreRefusedClearly() {
        within(20, "bad arguments", () -> {
            assertThrows(IllegalArgumentException.class, () -> context.sharedBuffer(0));
            IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
                    () -> context.sharedBuffer(Long.MAX_VALUE));
            assertTrue(huge.getMessage().contains("bytes"), huge.getMessage());
            SharedBuffer buffer = context.sharedBuffer(100);
            assertThrows(IndexOutOfBoundsException.class, () -> buffer.get(100));
            assertThrows(IndexOutOfBoundsException.class, () -> buffer.set(-1, (byte) 1));
            assertThrows(IndexOutOfBoundsException.class, () -> buffer.get(96, new byte[5]));
            assertThrows(IndexOutOfBoundsException.class, () -> buffer.set(0, new byte[4], 2, 3));
            assertThrows(IllegalArgumentException.class, () -> buffer.asLongArray(4, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> buffer.asIntArray(96, 2));
            assertEquals(25, buffer.asIntArray().length());
            assertEquals(12, buffer.asDoubleArray().length());
            SharedIntArray ints = buffer.asIntArray(4, 3);
            assertThrows(IndexOutOfBoundsException.class, () -> ints.get(3));
            assertThrows(IndexOutOfBoundsException.class, () -> ints.set(0, new int[4], 0, 4));
            assertThrows(IllegalArgumentException.class, () -> Multiproc.attachBuffer("no-colon"));
            assertThrows(IllegalArgumentException.class, () -> Multiproc.attachBuffer(transportName() + ":"));
            return null;
        });
    }

    /** After its context closes, a buffer refuses every operation, and nothing of it is left. */
    @Test
    public void aClosedContextsBufferRefusesToWork() {
        within(30, "a buffer after its context closed", () -> {
            Context own = Multiproc.context(transportName());
            SharedBuffer buffer = own.sharedBuffer(64);
            SharedIntArray ints = buffer.asIntArray();
            ints.set(0, 5);
            String name = buffer.name();
            own.close();
            assertThrows(IllegalStateException.class, () -> ints.get(0));
            assertThrows(IllegalStateException.class, () -> buffer.set(0, new byte[8]));
            assertThrows(RuntimeException.class, () -> Multiproc.attachBuffer(name));
            return null;
        });
    }
}
