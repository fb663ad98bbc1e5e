package dev.multiproc.transport.shm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.SharedInt;
import dev.multiproc.tck.TckTimeouts;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer of a shm value killed with SIGKILL in the middle of a write (holding the writers' lock, its bytes half
 * copied) stops no one: readers get the previous value whole at once, the next writer takes the dead writer's lock
 * over, and the value's segments are all deleted when it is closed.
 */
@Timeout(120)
class ShmValueCrashTest {
    private static final int BIG = 48 << 20;

    @TempDir
    Path directory;

    /** Sets two large values in turn, for ever: nearly all of its time is spent inside a write. */
    static void writeForever(ShmValue value, SharedInt writes) {
        byte[] ones = new byte[BIG];
        Arrays.fill(ones, (byte) 1);
        byte[] twos = new byte[BIG + (5 << 20)];
        Arrays.fill(twos, (byte) 2);
        while (true) {
            value.set(ones);
            value.set(twos);
            writes.incrementAndGet();
        }
    }

    @Test
    void aWriterKilledMidWriteWedgesNoReaderAndNoWriter() throws Exception {
        ShmCells cells = new ShmCells(directory, ShmDirectory.PREFIX + "test-");
        ShmCells.Cell cell = cells.allocate();
        ShmValue value = ShmValue.create(cell, directory.resolve(ShmDirectory.PREFIX + "test-value-1"), new byte[] {0});
        try (Context context = Multiproc.context("shm")) {
            boolean midWrite = false;
            for (int attempt = 0; attempt < 5 && !midWrite; attempt++) {
                SharedInt writes = context.sharedInt(0);
                ChildProcess writer = context.process(() -> writeForever(value, writes)).start();
                long deadline = System.nanoTime() + TckTimeouts.seconds(60).toNanos();
                while (writes.get() < 2) {
                    assertTrue(System.nanoTime() < deadline, "the writer did not write");
                    Thread.sleep(5);
                }
                writer.kill();
                writer.join();
                long owner = (long) ShmSegment.LONGS.getVolatile(value.cells(), cell.offset());
                midWrite = owner >>> 24 == writer.pid();

                long start = System.nanoTime();
                byte[] seen = value.get();
                long readNanos = System.nanoTime() - start;
                assertTrue(readNanos < TckTimeouts.seconds(1).toNanos(), "a read waited " + readNanos / 1_000_000
                        + " ms for the dead writer");
                byte first = seen[0];
                assertTrue((seen.length == BIG && first == 1) || (seen.length == BIG + (5 << 20) && first == 2),
                        "a read after the writer died returned " + seen.length + " bytes starting with " + first);
                for (byte each : seen) {
                    assertEquals(first, each, "a read after the writer died returned a torn value");
                }
                byte[] next = {42, (byte) attempt};
                assertArrayEquals(seen, value.getAndSet(next), "the next writer did not get the value before");
                assertArrayEquals(next, value.get());
            }
            assertTrue(midWrite, "no SIGKILL of five landed inside a write, so the test proved nothing");
        } finally {
            cells.close();
        }
    }
}
