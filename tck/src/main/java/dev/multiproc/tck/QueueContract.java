package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.ChannelClosedException;
import dev.multiproc.ChildProcess;
import dev.multiproc.JoinableQueue;
import dev.multiproc.Queue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Queue and JoinableQueue across processes. */
public abstract class QueueContract extends TransportContract {
    private static final int STOP = -1;

    static void produce(Queue<Integer> queue, int from, int count) throws InterruptedException {
        for (int i = from; i < from + count; i++) {
            queue.put(i);
        }
    }

    static void consume(Queue<Integer> queue, Queue<Integer> seen) throws InterruptedException {
        for (int item = queue.get(); item != STOP; item = queue.get()) {
            seen.put(item);
        }
    }

    /** Elements put by a child arrive in order. */
    @Test
    public void elementsArriveInFifoOrderAcrossProcesses() {
        within(60, "FIFO", () -> {
            Queue<Integer> queue = context.queue();
            ChildProcess child = context.process(() -> produce(queue, 0, 1000)).start();
            for (int i = 0; i < 1000; i++) {
                assertEquals(i, queue.get(30, TimeUnit.SECONDS));
            }
            child.join();
            return null;
        });
    }

    /** Timed get and put throw TimeoutException; offer and poll answer at once. */
    @Test
    public void timeoutsOfferAndPoll() {
        within(30, "timeouts", () -> {
            Queue<String> queue = context.queue(1);
            assertThrows(TimeoutException.class, () -> queue.get(50, TimeUnit.MILLISECONDS));
            assertNull(queue.poll());
            assertNull(queue.poll(20, TimeUnit.MILLISECONDS));
            assertTrue(queue.offer("a"));
            assertFalse(queue.offer("b"));
            assertFalse(queue.offer("b", 20, TimeUnit.MILLISECONDS));
            assertThrows(TimeoutException.class, () -> queue.put("b", 50, TimeUnit.MILLISECONDS));
            assertEquals(1, queue.size());
            assertEquals("a", queue.poll());
            assertTrue(queue.isEmpty());
            return null;
        });
    }

    /** A full bounded queue holds the producer back until a consumer takes. */
    @Test
    public void boundedQueueBlocksProducerUntilSpace() {
        within(60, "bounded queue", () -> {
            Queue<Integer> queue = context.queue(2);
            ChildProcess child = context.process(() -> produce(queue, 0, 50)).start();
            await(30, "the queue to fill", () -> queue.size() == 2);
            assertTrue(child.isAlive(), "the producer must be held back by the full queue");
            for (int i = 0; i < 50; i++) {
                assertEquals(i, queue.get());
            }
            child.join();
            return null;
        });
    }

    /** After close, gets drain what is left and then fail; puts fail. */
    @Test
    public void closeDrainsThenFails() {
        within(30, "close", () -> {
            Queue<String> queue = context.queue();
            queue.put("left");
            queue.close();
            assertThrows(ChannelClosedException.class, () -> queue.put("late"));
            assertEquals("left", queue.get());
            assertThrows(ChannelClosedException.class, queue::get);
            return null;
        });
    }

    /** Three producers and two consumers: every element once, none lost, none doubled. */
    @Test
    public void manyProducersManyConsumersLoseAndDuplicateNothing() {
        within(90, "producers and consumers", () -> {
            Queue<Integer> queue = context.queue(64);
            Queue<Integer> seen = context.queue();
            List<ChildProcess> producers = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                int from = p * 300;
                producers.add(context.process(() -> produce(queue, from, 300)).start());
            }
            List<ChildProcess> consumers = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                consumers.add(context.process(() -> consume(queue, seen)).start());
            }
            for (ChildProcess producer : producers) {
                producer.join();
            }
            queue.put(STOP);
            queue.put(STOP);
            for (ChildProcess consumer : consumers) {
                consumer.join();
                assertEquals(0, consumer.exitCode().getAsInt());
            }
            Set<Integer> received = new HashSet<>();
            for (Integer item = seen.poll(); item != null; item = seen.poll()) {
                assertTrue(received.add(item), "duplicate " + item);
            }
            assertEquals(900, received.size());
            return null;
        });
    }

    /** A 4 MiB element survives a round trip through a child. */
    @Test
    public void largeElementRoundTripsIntact() {
        within(60, "large element", () -> {
            byte[] big = new byte[4 << 20];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31 + 7);
            }
            Queue<byte[]> there = context.queue();
            Queue<byte[]> back = context.queue();
            ChildProcess echo = context.process(() -> back.put(there.get())).start();
            there.put(big);
            assertArrayEquals(big, back.get(30, TimeUnit.SECONDS));
            echo.join();
            return null;
        });
    }

    /** JoinableQueue: join returns once every element is marked done; an extra taskDone is refused. */
    @Test
    public void joinableQueueJoinsWhenEveryTaskIsDone() {
        within(60, "joinable queue", () -> {
            JoinableQueue<Integer> queue = context.joinableQueue();
            for (int i = 0; i < 20; i++) {
                queue.put(i);
            }
            assertFalse(queue.join(50, TimeUnit.MILLISECONDS));
            ChildProcess worker = context.process(() -> {
                for (int i = 0; i < 20; i++) {
                    queue.get();
                    queue.taskDone();
                }
            }).start();
            assertTrue(queue.join(30, TimeUnit.SECONDS));
            worker.join();
            assertThrows(IllegalStateException.class, queue::taskDone);
            return null;
        });
    }

    /** A process that put many elements exits and can be joined before anyone reads them. */
    @Test
    public void producerExitsWithoutAnyoneDraining() {
        within(60, "a producer to exit", () -> {
            Queue<Integer> queue = context.queue();
            ChildProcess child = context.process(() -> produce(queue, 0, 1000)).start();
            assertTrue(child.join(30, TimeUnit.SECONDS), "the producer did not exit");
            assertEquals(0, child.exitCode().getAsInt());
            assertEquals(1000, queue.size());
            return null;
        });
    }
}
