package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.multiproc.ChannelClosedException;
import dev.multiproc.ChildProcess;
import dev.multiproc.Queue;
import dev.multiproc.tck.support.FullHeapMain;
import dev.multiproc.SharedEvent;
import dev.multiproc.SharedInt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Queue}: order, time-outs, non-blocking calls, close, many producers and consumers, large
 * elements, and producers that exit before anyone reads. A {@link dev.multiproc.JoinableQueue}'s task accounting is
 * {@link JoinableQueueContract}'s.
 */
public abstract class QueueContract extends TransportContract {
    /** The sentinel that tells a consumer to stop. */
    private static final int STOP = -1;
    private static final int PRODUCERS = 3;
    private static final int ITEMS_PER_PRODUCER = 300;
    private static final int CONSUMERS = 2;
    private static final int LARGE = 4 << 20;

    /** For a transport's subclass, which JUnit instantiates. */
    protected QueueContract() {
    }

    static void produce(Queue<Integer> queue, int from, int count) throws InterruptedException {
        for (int i = from; i < from + count; i++) {
            queue.put(i);
        }
    }

    static void consume(Queue<Integer> queue, Queue<Integer> received) throws InterruptedException {
        for (int item = queue.get(); item != STOP; item = queue.get()) {
            received.put(item);
        }
    }

    static void echoOnce(Queue<byte[]> there, Queue<byte[]> back) throws InterruptedException {
        back.put(there.get());
    }

    static void getUntilClosed(Queue<String> queue, SharedInt waiting, SharedInt sawClose)
            throws InterruptedException {
        waiting.set(1);
        try {
            queue.get();
        } catch (ChannelClosedException expected) {
            sawClose.set(1);
        }
    }

    /** Elements a child puts, 0 to 999, are got by the parent in the same order. */
    @Test
    public void elementsArriveInFifoOrderAcrossProcesses() {
        within(30, "1,000 elements from a child", () -> {
            Queue<Integer> queue = context.queue();
            ChildProcess child = context.process(() -> produce(queue, 0, 1000)).start();
            for (int i = 0; i < 1000; i++) {
                assertEquals(i, queue.get(TckTimeouts.millis(20), TimeUnit.MILLISECONDS));
            }
            child.join();
            assertEquals(0, child.exitCode().getAsInt());
            assertTrue(queue.isEmpty());
            return null;
        });
    }

    /** {@code get(timeout)} on an empty queue throws TimeoutException. */
    @Test
    public void timedGetOnEmptyQueueTimesOut() {
        within(10, "a timed get", () -> {
            Queue<String> queue = context.queue();
            assertThrows(TimeoutException.class, () -> queue.get(50, TimeUnit.MILLISECONDS));
            assertNull(queue.poll(20, TimeUnit.MILLISECONDS));
            return null;
        });
    }

    /** {@code put(x, timeout)} on a full bounded queue throws TimeoutException and adds nothing. */
    @Test
    public void timedPutOnFullQueueTimesOut() {
        within(10, "a timed put", () -> {
            Queue<String> queue = context.queue(2);
            queue.put("a");
            queue.put("b", 50, TimeUnit.MILLISECONDS);
            assertThrows(TimeoutException.class, () -> queue.put("c", 50, TimeUnit.MILLISECONDS));
            assertEquals(2, queue.size());
            assertEquals("a", queue.get());
            assertEquals("b", queue.get());
            assertTrue(queue.isEmpty());
            return null;
        });
    }

    /** {@code offer} answers false when the queue is full, {@code poll} null when it is empty; neither waits. */
    @Test
    public void offerAndPollDoNotWait() {
        within(10, "offer and poll", () -> {
            Queue<String> queue = context.queue(1);
            assertNull(queue.poll());
            assertTrue(queue.isEmpty());
            assertTrue(queue.offer("a"));
            assertFalse(queue.offer("b"));
            assertFalse(queue.offer("b", 20, TimeUnit.MILLISECONDS));
            assertEquals(1, queue.size());
            assertEquals("a", queue.poll());
            assertNull(queue.poll());
            assertTrue(queue.offer("c", 20, TimeUnit.MILLISECONDS));
            assertEquals("c", queue.poll(20, TimeUnit.MILLISECONDS));
            return null;
        });
    }

    /** A full bounded queue holds a producing child back until the parent takes. */
    @Test
    public void boundedQueueHoldsTheProducerBack() {
        within(30, "a held-back producer", () -> {
            Queue<Integer> queue = context.queue(2);
            ChildProcess child = context.process(() -> produce(queue, 0, 50)).start();
            await(20, "the queue to fill", () -> queue.size() == 2);
            assertFalse(child.join(100, TimeUnit.MILLISECONDS), "the producer must wait for space");
            for (int i = 0; i < 50; i++) {
                assertEquals(i, queue.get(TckTimeouts.millis(20), TimeUnit.MILLISECONDS));
            }
            child.join();
            assertEquals(0, child.exitCode().getAsInt());
            return null;
        });
    }

    /** After {@code close()}, gets return what is left and then throw ChannelClosedException; puts throw it. */
    @Test
    public void closeDrainsThenFails() {
        within(10, "a closed queue", () -> {
            Queue<String> queue = context.queue();
            queue.put("first");
            queue.put("second");
            queue.close();
            assertThrows(ChannelClosedException.class, () -> queue.put("late"));
            assertEquals("first", queue.get());
            assertEquals("second", queue.get(TckTimeouts.millis(1), TimeUnit.MILLISECONDS));
            assertThrows(ChannelClosedException.class, queue::get);
            assertThrows(ChannelClosedException.class, queue::get);
            return null;
        });
    }

    /** {@code close()} wakes a child waiting in {@code get()} with ChannelClosedException. */
    @Test
    public void closeWakesAWaitingGetterInAnotherProcess() {
        within(30, "a waiting getter to be woken", () -> {
            Queue<String> queue = context.queue();
            SharedInt waiting = context.sharedInt(0);
            SharedInt sawClose = context.sharedInt(0);
            ChildProcess child = context.process(() -> getUntilClosed(queue, waiting, sawClose)).start();
            await(20, "the child to wait", () -> waiting.get() == 1);
            queue.close();
            child.join();
            assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            assertEquals(1, sawClose.get());
            return null;
        });
    }

    /**
     * Three producer processes put 300 items each and two consumer processes get them: every item is received
     * exactly once.
     */
    @Test
    public void manyProducersAndConsumersReceiveEveryItemOnce() {
        within(60, "3 producers and 2 consumers", () -> {
            Queue<Integer> queue = context.queue(64);
            Queue<Integer> received = context.queue();
            List<ChildProcess> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int from = p * ITEMS_PER_PRODUCER;
                producers.add(context.process(() -> produce(queue, from, ITEMS_PER_PRODUCER)).start());
            }
            List<ChildProcess> consumers = new ArrayList<>();
            for (int c = 0; c < CONSUMERS; c++) {
                consumers.add(context.process(() -> consume(queue, received)).start());
            }
            for (ChildProcess producer : producers) {
                producer.join();
                assertEquals(0, producer.exitCode().getAsInt(), () -> "producer failed: " + producer.failure());
            }
            for (int c = 0; c < CONSUMERS; c++) {
                queue.put(STOP);
            }
            for (ChildProcess consumer : consumers) {
                consumer.join();
                assertEquals(0, consumer.exitCode().getAsInt(), () -> "consumer failed: " + consumer.failure());
            }
            int total = PRODUCERS * ITEMS_PER_PRODUCER;
            int[] times = new int[total];
            int count = 0;
            for (Integer item = received.poll(); item != null; item = received.poll()) {
                assertTrue(item >= 0 && item < total, "unexpected item " + item);
                times[item]++;
                count++;
            }
            for (int i = 0; i < total; i++) {
                assertEquals(1, times[i], "times item " + i + " was received");
            }
            assertEquals(total, count);
            assertTrue(queue.isEmpty());
            return null;
        });
    }

    /** A 4 MiB byte[] element goes to a child and back intact. */
    @Test
    public void largeElementRoundTripsIntact() {
        assumeTrue(maxMessageSize() > LARGE + 4096,
                "the transport carries at most " + maxMessageSize() + " bytes per message");
        within(30, "a 4 MiB element to round-trip", () -> {
            byte[] big = new byte[LARGE];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31 + (i >>> 13));
            }
            Queue<byte[]> there = context.queue();
            Queue<byte[]> back = context.queue();
            ChildProcess echo = context.process(() -> echoOnce(there, back)).start();
            there.put(big);
            assertArrayEquals(big, back.get(TckTimeouts.millis(20), TimeUnit.MILLISECONDS));
            echo.join();
            assertEquals(0, echo.exitCode().getAsInt());
            return null;
        });
    }

    /** A process that put 1,000 items exits and can be joined before anyone drains the queue (Python deadlocks). */
    @Test
    public void producerExitsBeforeAnyoneDrains() {
        within(30, "a producer to exit", () -> {
            Queue<Integer> queue = context.queue();
            ChildProcess child = context.process(() -> produce(queue, 0, 1000)).start();
            assertTrue(child.join(TckTimeouts.seconds(20).toMillis(), TimeUnit.MILLISECONDS),
                    "the producer did not exit while its items were unread");
            assertEquals(0, child.exitCode().getAsInt());
            assertEquals(1000, queue.size());
            for (int i = 0; i < 1000; i++) {
                assertEquals(i, queue.get(TckTimeouts.millis(5), TimeUnit.MILLISECONDS));
            }
            return null;
        });
    }

    static void produceBlocks(Queue<byte[]> queue, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            byte[] block = new byte[1 << 20];
            Arrays.fill(block, (byte) i);
            queue.put(block);
        }
    }

    /**
     * An unbounded queue takes 32 MiB from a producer that nobody reads, more than any pipe, socket or ring buffer
     * holds, and the producer still exits: put never waits on an unbounded queue.
     */
    @Test
    public void unboundedQueueTakesMoreThanAnyBufferFromAnExitingProducer() {
        assumeTrue(maxMessageSize() > (1 << 20) + 4096,
                "the transport carries at most " + maxMessageSize() + " bytes per message");
        within(60, "a producer of 32 MiB to exit", () -> {
            Queue<byte[]> queue = context.queue();
            ChildProcess child = context.process(() -> produceBlocks(queue, 32)).start();
            assertTrue(child.join(TckTimeouts.seconds(40).toMillis(), TimeUnit.MILLISECONDS),
                    "the producer waited for a reader on an unbounded queue");
            assertEquals(0, child.exitCode().getAsInt());
            assertEquals(32, queue.size());
            for (int i = 0; i < 32; i++) {
                byte[] block = queue.get(TckTimeouts.millis(10), TimeUnit.MILLISECONDS);
                assertEquals(1 << 20, block.length);
                assertEquals((byte) i, block[0]);
                assertEquals((byte) i, block[block.length - 1]);
            }
            assertTrue(queue.isEmpty());
            return null;
        });
    }

    static void takeThenDie(Queue<Integer> queue, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            if (queue.get() != i) {
                Runtime.getRuntime().halt(5);
            }
        }
        Runtime.getRuntime().halt(9);   // a crash: no shutdown hooks, nothing given back politely
    }

    /**
     * A consumer that takes in a tight loop and then dies loses nothing and duplicates nothing: the elements it
     * took are gone, every other one is still there, in order (a transport may hand a fast consumer elements
     * ahead of its calls; those must come back when it dies).
     */
    @Test
    public void elementsAConsumerDiedWithoutTakingStayInTheQueue() {
        within(60, "a consumer to die and its untaken elements to return", () -> {
            Queue<Integer> queue = context.queue();
            produce(queue, 0, 3000);
            ChildProcess child = context.process(() -> takeThenDie(queue, 500)).start();
            child.join();
            assertEquals(9, child.exitCode().getAsInt(), "the consumer saw the elements out of order");
            assertEquals(2500, queue.size());
            for (int i = 500; i < 3000; i++) {
                assertEquals(i, queue.get(TckTimeouts.millis(10), TimeUnit.MILLISECONDS));
            }
            assertNull(queue.poll());
            return null;
        });
    }

    /** Takes from an empty queue; a second thread sets {@code parked} once the taker waits inside {@code get()}. */
    static void parkInGet(Queue<Integer> queue, SharedEvent parked) throws InterruptedException {
        Thread taker = Thread.currentThread();
        Thread watcher = new Thread(() -> {
            while (taker.getState() != Thread.State.WAITING && taker.getState() != Thread.State.TIMED_WAITING) {
                Thread.onSpinWait();
            }
            parked.set();
        }, "parked-watcher");
        watcher.setDaemon(true);
        watcher.start();
        queue.get();
        Runtime.getRuntime().halt(5);   // not reached: the parent stops this process, then kills it
    }

    private static void signal(long pid, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
    }

    /**
     * A consumer killed while the element it waited for is on its way to it (sent, not yet read) loses nothing:
     * the element goes back to the queue. The consumer is stopped (SIGSTOP) while it waits in {@code get()}, so
     * that the element is surely handed to it and surely never read, then killed.
     */
    @Test
    public void aConsumerKilledWithTheElementOnItsWayLosesNothing() {
        within(60, "a consumer killed mid-delivery, and the element back", () -> {
            Queue<Integer> queue = context.queue();
            SharedEvent parked = context.event();
            ChildProcess child = context.process(() -> parkInGet(queue, parked)).start();
            parked.await();
            signal(child.pid(), "STOP");   // from here on it reads nothing the parent sends
            queue.put(42);                 // answers its waiting take: the element is on its way to it
            child.kill();
            child.join();
            assertEquals(137, child.exitCode().getAsInt());
            assertEquals(42, queue.get(TckTimeouts.seconds(10).toMillis(), TimeUnit.MILLISECONDS),
                    "the element handed to the killed consumer came back");
            assertNull(queue.poll());
            return null;
        });
    }

    static void takeThenIdle(Queue<Integer> queue, int count, Queue<Integer> done) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            queue.get();
        }
        done.put(count);
        Thread.sleep(TimeUnit.MINUTES.toMillis(5));
    }

    /**
     * A consumer that takes in a tight loop and then stops taking, while it lives on, strands nothing: the other
     * elements reach another consumer soon, in order.
     */
    @Test
    public void aConsumerThatStopsTakingStrandsNothing() {
        within(60, "elements left by an idle consumer", () -> {
            Queue<Integer> queue = context.queue();
            Queue<Integer> done = context.queue();
            produce(queue, 0, 3000);
            ChildProcess child = context.process(() -> takeThenIdle(queue, 500, done)).daemon(true).start();
            try {
                assertEquals(500, done.get(TckTimeouts.millis(30), TimeUnit.MILLISECONDS));
                for (int i = 500; i < 3000; i++) {
                    assertEquals(i, queue.get(TckTimeouts.millis(5), TimeUnit.MILLISECONDS),
                            "element " + i + " stayed with the idle consumer");
                }
                assertNull(queue.poll());
            } finally {
                child.kill();
                child.join();
            }
            return null;
        });
    }

    static void putUntilRefused(Queue<Integer> queue) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try {
            while (System.nanoTime() < deadline) {
                queue.put(1);
                Thread.sleep(1);
            }
        } catch (ChannelClosedException expected) {
            return;
        }
        Runtime.getRuntime().halt(7);
    }

    /**
     * A child that keeps putting into a queue another process closed is told so with ChannelClosedException (a
     * transport may report it on a later put than the first refused one, as Python's feeder thread would, but it
     * does report it).
     */
    @Test
    public void putIntoAQueueClosedElsewhereFails() {
        within(40, "a producer to learn that its queue was closed", () -> {
            Queue<Integer> queue = context.queue();
            queue.close();
            ChildProcess child = context.process(() -> putUntilRefused(queue)).start();
            child.join();
            assertEquals(0, child.exitCode().getAsInt(), "the producer's puts into a closed queue never failed");
            return null;
        });
    }

    /**
     * Children that put more into an unbounded queue than the parent's heap holds are held back, not fatal (issue
     * 11, item 14): in a parent run with {@code -Xmx128m}, a child puts 320 elements of 1 MiB as fast as it can while
     * another takes them slowly; the producer finishes, every element arrives, and the parent closes normally.
     * Before, the parent ran out of memory, in whichever of its threads asked for it last.
     */
    @Test
    public void childrenThatPutMoreThanTheParentsHeapHoldsAreHeldBackAndLoseNothing() throws Exception {
        Process parent = new ProcessBuilder(javaCommand(FullHeapMain.class, List.of("-Xmx128m"), transportName()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        int status;
        try {
            status = within(240, "the parent with the small heap to finish", () -> {
                try (java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(
                        parent.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        lines.add(line);
                    }
                }
                return parent.waitFor();
            });
        } finally {
            parent.destroyForcibly();
        }
        int sum = 0;
        for (int i = 0; i < FullHeapMain.ELEMENTS; i++) {
            sum += i % 100;
        }
        assertEquals(List.of("PRODUCER 0 Optional.empty", "CONSUMED " + FullHeapMain.ELEMENTS + " " + sum
                + " 0 Optional.empty", "CLOSED"), lines);
        assertEquals(0, status);
    }
}
