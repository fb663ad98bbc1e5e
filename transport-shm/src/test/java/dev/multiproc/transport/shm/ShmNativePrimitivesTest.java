package dev.multiproc.transport.shm;

import static org.junit.jupiter.api.Assertions.*;

import dev.multiproc.ChannelClosedException;
import dev.multiproc.ChildProcess;
import dev.multiproc.Connection;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.Pipe;
import dev.multiproc.Queue;
import dev.multiproc.SharedBarrier;
import dev.multiproc.SharedEvent;
import dev.multiproc.tck.TckTimeouts;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What is special to the shm transport's own primitives: they are native, and they fail cleanly. */
@Timeout(120)
class ShmNativePrimitivesTest {
    private Context context;

    @BeforeEach
    void open() {
        context = Multiproc.context("shm");
    }

    @AfterEach
    void close() {
        context.close();
    }

    static void echoBlocks(Connection<byte[]> end, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            end.sendBytes(end.recvBytes());
        }
    }

    static void receiveOnceThenHang(Connection<byte[]> end, SharedEvent received) throws InterruptedException {
        end.recvBytes();
        received.set();
        Thread.sleep(120_000);
    }

    @Test
    void sharedValuesLocksAndPipesAreNative() {
        assertTrue(context.sharedInt(0).toString().contains("shm"), context.sharedInt(0).toString());
        assertTrue(context.sharedLong(0).toString().contains("shm"));
        assertTrue(context.lock().toString().contains("shm"));
        assertTrue(context.pipe().left().toString().contains("shm pipe"));
        assertTrue(context.queue().toString().contains("shm queue"));
        assertTrue(context.semaphore(1).toString().contains("shm"), context.semaphore(1).toString());
        assertTrue(context.event().toString().contains("shm"), context.event().toString());
        assertTrue(context.barrier(4).toString().contains("shm"), context.barrier(4).toString());
        // a barrier's slots must fit a segment of cells: a bigger one is the hub's, which has no such limit
        assertFalse(context.barrier(ShmSharedBarrier.MAX_PARTIES + 1).toString().contains("shm"));
        assertTrue(context.joinableQueue().toString().contains("shm joinable queue"),
                context.joinableQueue().toString());
        assertTrue(context.sharedValue("v").toString().contains("shm value"), context.sharedValue("v").toString());
    }

    static void waitAtBarrier(SharedBarrier barrier) throws Exception {
        barrier.await();
    }

    /**
     * A party killed while it waits, with nobody else waiting to notice, does not stop a reset: the killed party's
     * slot still names it, and the barrier is usable at once afterwards (a trip of two parties completes).
     */
    @Test
    void aResetCompletesAlthoughAWaiterOfTheOldGenerationWasKilled() throws Exception {
        SharedBarrier barrier = context.barrier(2);
        ChildProcess victim = context.process(() -> waitAtBarrier(barrier)).start();
        awaitOneWaiting(barrier);
        victim.kill();
        victim.join();
        assertEquals(1, barrier.getNumberWaiting(), "nobody has looked at the dead party yet");
        barrier.reset();
        assertEquals(0, barrier.getNumberWaiting());
        assertFalse(barrier.isBroken());
        ChildProcess partner = context.process(() -> waitAtBarrier(barrier)).start();
        awaitOneWaiting(barrier);
        assertEquals(1, barrier.await(TckTimeouts.millis(30), TimeUnit.MILLISECONDS), "the parent arrived second");
        partner.join();
        assertEquals(0, partner.exitCode().getAsInt(), () -> "the partner failed: " + partner.failure());
    }

    private static void awaitOneWaiting(SharedBarrier barrier) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (barrier.getNumberWaiting() != 1) {
            assertTrue(System.nanoTime() < deadline, "the child never waited at the barrier");
            Thread.sleep(10);
        }
    }

    static void putMany(Queue<byte[]> queue, int count, int size) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            byte[] element = new byte[size];
            java.util.Arrays.fill(element, (byte) i);
            queue.put(element);
        }
    }

    static void putNumbers(Queue<Integer> queue, int from, int count) throws InterruptedException {
        for (int i = from; i < from + count; i++) {
            queue.put(i);
        }
    }

    static void takeNumbers(Queue<Integer> from, Queue<Integer> to, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            to.put(from.get());
        }
    }

    private static long queueFiles() throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(ShmDirectory.directoryOfThisProcess())) {
            return files.filter(p -> p.getFileName().toString().contains("-" + ProcessHandle.current().pid() + "-")
                    && p.getFileName().toString().contains("-queue-")).count();
        }
    }

    @Test
    void aGrowingQueueDeletesTheRingsItHasDrained() throws Exception {
        Queue<byte[]> queue = context.queue();
        long before = queueFiles();
        // 48 MiB: far more than the first ring holds (the tck checks that the producer need not wait for a reader)
        ChildProcess producer = context.process(() -> putMany(queue, 48, 1 << 20)).start();
        producer.join();
        assertEquals(0, producer.exitCode().getAsInt());
        assertEquals(48, queue.size());
        long grown = queueFiles();
        assertTrue(grown >= before + 3, "the queue did not grow into further segments: " + grown);
        for (int i = 0; i < 48; i++) {
            byte[] element = queue.get(TckTimeouts.millis(20), TimeUnit.MILLISECONDS);
            assertEquals(1 << 20, element.length);
            assertEquals((byte) i, element[element.length - 1], "element " + i);
        }
        assertTrue(queue.isEmpty());
        // only the ring in use stays; the ones drained before it are deleted
        assertEquals(before + 1, queueFiles(), "drained parts of the queue were not deleted");
    }

    @Test
    void manyProducersAndConsumersPassEveryElementExactlyOnce() throws Exception {
        Queue<Integer> work = context.queue();
        Queue<Integer> done = context.queue();
        java.util.List<ChildProcess> children = new java.util.ArrayList<>();
        for (int p = 0; p < 2; p++) {
            int from = p * 20_000;
            children.add(context.process(() -> putNumbers(work, from, 20_000)).start());
        }
        for (int c = 0; c < 2; c++) {
            children.add(context.process(() -> takeNumbers(work, done, 15_000)).start());
        }
        java.util.BitSet seen = new java.util.BitSet();
        for (int i = 0; i < 10_000; i++) {
            int n = work.get(TckTimeouts.millis(30), TimeUnit.MILLISECONDS);
            assertFalse(seen.get(n), "element " + n + " came out twice");
            seen.set(n);
        }
        for (int i = 0; i < 30_000; i++) {
            int n = done.get(TckTimeouts.millis(30), TimeUnit.MILLISECONDS);
            assertFalse(seen.get(n), "element " + n + " came out twice");
            seen.set(n);
        }
        for (ChildProcess child : children) {
            child.join();
            assertEquals(0, child.exitCode().getAsInt());
        }
        assertEquals(40_000, seen.cardinality());
        assertTrue(work.isEmpty());
    }

    @Test
    void megabyteBlocksCrossAPipeBothWaysIntact() throws Exception {
        Pipe<byte[]> pipe = context.pipe();
        ChildProcess echo = context.process(() -> echoBlocks(pipe.right(), 8)).start();
        for (int round = 0; round < 8; round++) {
            byte[] block = new byte[(1 << 20) + round];
            for (int i = 0; i < block.length; i++) {
                block[i] = (byte) (i * 7 + round);
            }
            pipe.left().sendBytes(block);
            assertArrayEquals(block, pipe.left().recvBytes(), "round " + round);
        }
        echo.join();
        assertEquals(0, echo.exitCode().getAsInt());
    }

    @Test
    void senderToAFullPipeWhoseReaderDiedFailsInsteadOfHanging() throws Exception {
        Pipe<byte[]> pipe = context.pipe();
        SharedEvent received = context.event();
        ChildProcess reader = context.process(() -> receiveOnceThenHang(pipe.right(), received)).start();
        pipe.left().sendBytes(new byte[1]);
        assertTrue(received.await(TckTimeouts.seconds(20).toMillis(), TimeUnit.MILLISECONDS));
        reader.kill();
        reader.join();
        ChannelClosedException failure = assertThrows(ChannelClosedException.class, () -> {
            for (int i = 0; i < 10_000; i++) {
                pipe.left().sendBytes(new byte[4096]);
            }
        });
        assertTrue(failure.getMessage().contains("has exited"), failure.getMessage());
    }

    @Test
    void aMessageOfTheOtherKindStaysInThePipe() throws Exception {
        Pipe<Object> pipe = context.pipe();
        pipe.right().sendBytes(new byte[] {1, 2});
        assertThrows(IllegalStateException.class, pipe.left()::recv);
        assertArrayEquals(new byte[] {1, 2}, pipe.left().recvBytes());
    }
}
