package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.Queue;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a {@link SharedValue} holds, whatever keeps it (the parent's hub, or shared memory on a transport with native
 * values): values of megabytes, whole, across processes; a value that grows and shrinks; {@code getAndSet} from
 * several processes at once that loses nothing; readers that never see a value half written; and a clear refusal
 * once the context has closed.
 */
public abstract class SharedValueContentsContract extends TransportContract {
    private static final int LARGE = 6 << 20;
    private static final int PROCESSES = 4;
    private static final int SWAPS = 300;
    private static final int WRITES = 400;
    private static final long TURN_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** For a transport's subclass, which JUnit instantiates. */
    protected SharedValueContentsContract() {
    }

    /** @return {@code length} bytes, each {@code (byte) (seed + index * 31)}: no two seeds give the same array */
    static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed + i * 31);
        }
        return bytes;
    }

    static void setLarge(SharedValue<byte[]> value) {
        value.set(pattern(LARGE, 7));
    }

    /** Sizes that take a value past any first segment and back, several times. */
    private static final int[] SIZES = {10, 3 << 20, 100, 9 << 20, 5, 1 << 10, 5 << 20, 0};

    /** Walks the sizes, each with getAndSet, checking each step returns the one before whole. */
    static void walkSizes(SharedValue<byte[]> value, int seedOffset) {
        byte[] previous = value.get();
        for (int i = 0; i < SIZES.length; i++) {
            byte[] next = pattern(SIZES[i], seedOffset + i);
            byte[] returned = value.getAndSet(next);
            if (!Arrays.equals(previous, returned)) {
                throw new AssertionError("step " + i + ": getAndSet returned " + returned.length
                        + " bytes that are not the " + previous.length + " set before");
            }
            if (!Arrays.equals(next, value.get())) {
                throw new AssertionError("step " + i + ": get did not return the " + next.length + " bytes just set");
            }
            previous = next;
        }
    }

    /**
     * After the start barrier, {@link #SWAPS} getAndSet of values of its own, each followed by a wait for another
     * party to replace it; puts the values its getAndSets returned, and counts those another party had set.
     */
    static void swap(SharedValue<Integer> value, SharedInt arrived, SharedInt finished, SharedInt interleaved,
            int me, Queue<List<Integer>> returned) throws InterruptedException {
        Contention.startTogether(arrived, PROCESSES);
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < SWAPS; i++) {
            int mine = me * 100_000 + i;
            got.add(value.getAndSet(mine));
            long deadline = System.nanoTime() + TURN_WAIT_NANOS;
            long spins = 0;
            while (value.get() == mine && finished.get() < PROCESSES - 1 && System.nanoTime() - deadline < 0) {
                Contention.pause(spins++);
            }
        }
        finished.incrementAndGet();
        interleaved.addAndGet((int) got.stream().filter(each -> each / 100_000 != me).count());
        returned.put(got);
    }

    /** Writes arrays whose elements are all equal, of sizes that make a native value grow and shrink. */
    static void writeUniformArrays(SharedValue<int[]> value, SharedInt arrived, SharedInt writing) {
        Contention.startTogether(arrived, 2);
        int[] sizes = {1 << 10, 300 << 10, 16, 64 << 10};
        for (int i = 1; i <= WRITES; i++) {
            int[] array = new int[sizes[i % sizes.length]];
            Arrays.fill(array, i);
            value.set(array);
        }
        writing.set(0);
    }

    /** Reads while the writer writes; counts the values it saw, and those whose elements were not all equal. */
    static void readUniformArrays(SharedValue<int[]> value, SharedInt arrived, SharedInt writing, SharedInt seen,
            SharedInt torn) {
        Contention.startTogether(arrived, 2);
        int last = -1;
        while (writing.get() != 0) {
            int[] array = value.get();
            if (array.length == 0) {
                continue;
            }
            int first = array[0];
            for (int element : array) {
                if (element != first) {
                    torn.incrementAndGet();
                    break;
                }
            }
            if (first != last) {
                seen.incrementAndGet();
                last = first;
            }
        }
    }

    /** A value of several MiB set in a child is read, byte for byte, in the parent, and the other way round. */
    @Test
    public void aValueOfSeveralMegabytesCrossesProcessesWhole() {
        assumeTrue(maxMessageSize() > 2 * LARGE, "this transport carries messages of at most " + maxMessageSize()
                + " bytes, and a hub-kept value of " + LARGE + " bytes travels in one");
        within(60, "a large SharedValue across processes", () -> {
            SharedValue<byte[]> value = context.sharedValue(new byte[0]);
            ChildProcess child = context.process(() -> setLarge(value)).start();
            child.join();
            assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            assertArrayEquals(pattern(LARGE, 7), value.get(), "the parent read another value than the child set");
            return null;
        });
    }

    /**
     * A value that grows from bytes to MiB and shrinks again, several times, in a child and then in the parent:
     * each getAndSet returns the value before it whole, each get the value just set.
     */
    @Test
    public void aValueGrowsAndShrinksAndStaysWhole() {
        assumeTrue(maxMessageSize() > 2 * (9 << 20), "this transport carries messages of at most " + maxMessageSize()
                + " bytes, and a hub-kept value of 9 MiB travels in one");
        within(90, "a growing and shrinking SharedValue", () -> {
            SharedValue<byte[]> value = context.sharedValue(pattern(3, 1));
            ChildProcess child = context.process(() -> walkSizes(value, 100)).start();
            child.join();
            assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            assertArrayEquals(pattern(0, 100 + SIZES.length - 1), value.get(), "the parent read another value");
            walkSizes(value, 200);
            return null;
        });
    }

    /**
     * Four processes, released together, each swap 300 values of their own in with getAndSet: every value set is
     * returned exactly once, by some getAndSet or by the final get, and the swaps interleaved.
     */
    @Test
    public void concurrentGetAndSetLosesNothing() {
        within(120, "concurrent getAndSet", () -> {
            SharedValue<Integer> value = context.sharedValue(-1);
            SharedInt arrived = context.sharedInt(0);
            SharedInt finished = context.sharedInt(0);
            SharedInt interleaved = context.sharedInt(0);
            Queue<List<Integer>> returned = context.queue();
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                int me = i + 1;
                children.add(context.process(() -> swap(value, arrived, finished, interleaved, me, returned)).start());
            }
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                List<Integer> got = returned.get(TckTimeouts.millis(100), TimeUnit.MILLISECONDS);
                all.addAll(got);
            }
            for (ChildProcess child : children) {
                child.join();
                assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            }
            all.add(value.get());
            Map<Integer, Integer> counts = new TreeMap<>();
            for (int each : all) {
                counts.merge(each, 1, Integer::sum);
            }
            List<Integer> lost = new ArrayList<>();
            List<Integer> twice = new ArrayList<>();
            for (int me = 1; me <= PROCESSES; me++) {
                for (int i = 0; i < SWAPS; i++) {
                    int count = counts.getOrDefault(me * 100_000 + i, 0);
                    if (count == 0) {
                        lost.add(me * 100_000 + i);
                    } else if (count > 1) {
                        twice.add(me * 100_000 + i);
                    }
                }
            }
            assertTrue(lost.isEmpty() && twice.isEmpty(), "values lost: " + lost.size() + " " + head(lost)
                    + "; returned twice: " + twice.size() + " " + head(twice));
            assertEquals(1, counts.getOrDefault(-1, 0), "the initial value was not returned exactly once");
            assertTrue(interleaved.get() >= SWAPS, "the swaps interleaved only " + interleaved.get()
                    + " times: the processes did not run at the same time, so the test proved nothing");
            return null;
        });
    }

    private static List<Integer> head(List<Integer> values) {
        return values.subList(0, Math.min(5, values.size()));
    }

    /**
     * A reader in one process never sees a value half written by a writer in another (the values are arrays whose
     * elements are all equal, of sizes that make a native value change segments), and saw the value change while
     * the writer wrote.
     */
    @Test
    public void aReaderNeverSeesATornValue() {
        within(120, "reading while another process writes", () -> {
            SharedValue<int[]> value = context.sharedValue(new int[0]);
            SharedInt arrived = context.sharedInt(0);
            SharedInt writing = context.sharedInt(1);
            SharedInt seen = context.sharedInt(0);
            SharedInt torn = context.sharedInt(0);
            ChildProcess reader = context.process(() -> readUniformArrays(value, arrived, writing, seen, torn))
                    .start();
            ChildProcess writer = context.process(() -> writeUniformArrays(value, arrived, writing)).start();
            writer.join();
            reader.join();
            assertEquals(0, writer.exitCode().getAsInt(), () -> "writer failed: " + writer.failure());
            assertEquals(0, reader.exitCode().getAsInt(), () -> "reader failed: " + reader.failure());
            assertEquals(0, torn.get(), "the reader saw " + torn.get() + " torn values");
            assertTrue(seen.get() >= 10, "the reader saw only " + seen.get() + " values: it did not read while the"
                    + " writer wrote, so the test proved nothing");
            return null;
        });
    }

    /** Once its context has closed, a value refuses every operation with an IllegalStateException. */
    @Test
    public void aValueRefusesToWorkAfterItsContextCloses() {
        within(30, "a SharedValue after its context closed", () -> {
            Context own = Multiproc.context(transportName());
            SharedValue<String> value = own.sharedValue("before");
            value.set("set");
            own.close();
            assertThrows(IllegalStateException.class, value::get);
            assertThrows(IllegalStateException.class, () -> value.set("after"));
            assertThrows(IllegalStateException.class, () -> value.getAndSet("after"));
            return null;
        });
    }
}
