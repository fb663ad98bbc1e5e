package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.ChildProcess;
import dev.multiproc.JoinableQueue;
import dev.multiproc.Queue;
import dev.multiproc.SharedEvent;
import dev.multiproc.SharedInt;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link JoinableQueue}'s task accounting: the count of unfinished elements belongs to the queue, not
 * to a process (put in one, marked done in a second, joined in a third); a {@code taskDone()} one too many is refused
 * wherever it is called and changes nothing; a consumer that marks an element done as soon as it has it is never
 * refused (the put counted the element before it could be taken); {@code join(timeout)} answers false while tasks are
 * undone and true once they are done.
 */
public abstract class JoinableQueueContract extends TransportContract {
    /** What a refused {@code taskDone()} says, on every transport. */
    private static final String TOO_OFTEN = "taskDone() called more times than elements were put";
    private static final int STOP = -1;

    /** For a transport's subclass, which JUnit instantiates. */
    protected JoinableQueueContract() {
    }

    static void takeAndMarkDone(JoinableQueue<Integer> queue, int count, Queue<Integer> taken)
            throws InterruptedException {
        for (int i = 0; i < count; i++) {
            taken.put(queue.get());
            queue.taskDone();
        }
    }

    /**
     * A child takes every item of a JoinableQueue and calls {@code taskDone()} for each: the parent's
     * {@code join(timeout)} returns true (and false before); one {@code taskDone()} too many throws
     * IllegalStateException.
     */
    @Test
    public void joinableQueueJoinsWhenEveryTaskIsDone() {
        within(30, "a joinable queue", () -> {
            JoinableQueue<Integer> queue = context.joinableQueue();
            Queue<Integer> taken = context.queue();
            for (int i = 0; i < 20; i++) {
                queue.put(i);
            }
            assertFalse(queue.join(50, TimeUnit.MILLISECONDS), "join returned true with 20 tasks undone");
            ChildProcess worker = context.process(() -> takeAndMarkDone(queue, 20, taken)).daemon(true).start();
            assertTrue(queue.join(TckTimeouts.seconds(20).toMillis(), TimeUnit.MILLISECONDS));
            worker.join();
            assertEquals(0, worker.exitCode().getAsInt(), () -> "worker failed: " + worker.failure());
            for (int i = 0; i < 20; i++) {
                assertEquals(i, taken.poll());
            }
            assertTrue(queue.isEmpty());
            assertThrows(IllegalStateException.class, queue::taskDone);
            queue.join();
            return null;
        });
    }

    static void markDoneOnceTooOften(JoinableQueue<Integer> queue, int count, Queue<String> outcome)
            throws InterruptedException {
        for (int i = 0; i < count; i++) {
            queue.get();
            queue.taskDone();
        }
        try {
            queue.taskDone();
            outcome.put("accepted");
        } catch (IllegalStateException refused) {
            outcome.put("refused: " + refused.getMessage());
        }
    }

    /**
     * A child that calls {@code taskDone()} once more than elements were put is refused with IllegalStateException
     * (Python's "task_done() called too many times"), and the refusal changes nothing: the next element put is
     * unfinished until it is marked done.
     */
    @Test
    public void taskDoneOneTooManyInAChildIsRefusedAndChangesNothing() {
        within(30, "a child's taskDone() one too many", () -> {
            JoinableQueue<Integer> queue = context.joinableQueue();
            Queue<String> outcome = context.queue();
            for (int i = 0; i < 3; i++) {
                queue.put(i);
            }
            ChildProcess worker = context.process(() -> markDoneOnceTooOften(queue, 3, outcome)).daemon(true)
                    .start();
            String said = outcome.get(TckTimeouts.seconds(20).toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(said.startsWith("refused: ") && said.contains(TOO_OFTEN),
                    "the child's fourth taskDone() after three puts was not refused as too many: " + said);
            worker.join();
            assertEquals(0, worker.exitCode().getAsInt(), () -> "worker failed: " + worker.failure());
            assertTrue(queue.join(TckTimeouts.seconds(5).toMillis(), TimeUnit.MILLISECONDS),
                    "join did not return after every task was done");
            queue.put(3);
            assertFalse(queue.join(50, TimeUnit.MILLISECONDS),
                    "join returned with a task undone: the refused taskDone() changed the count");
            assertEquals(3, queue.get(TckTimeouts.seconds(5).toMillis(), TimeUnit.MILLISECONDS));
            queue.taskDone();
            assertTrue(queue.join(TckTimeouts.seconds(5).toMillis(), TimeUnit.MILLISECONDS));
            return null;
        });
    }

    static void putNumbers(JoinableQueue<Integer> queue, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            queue.put(i);
        }
    }

    static void joinAndReport(JoinableQueue<Integer> queue, SharedEvent joining, SharedInt done,
            Queue<Integer> seen) throws InterruptedException {
        boolean early = queue.join(20, TimeUnit.MILLISECONDS);
        joining.set();
        if (early) {
            seen.put(STOP);
            return;
        }
        queue.join();
        seen.put(done.get());
    }

    static void takeCountAndMarkDone(JoinableQueue<Integer> queue, int count, SharedInt done)
            throws InterruptedException {
        for (int i = 0; i < count; i++) {
            queue.get();
            done.incrementAndGet();
            queue.taskDone();
        }
    }

    /**
     * Elements put in one child are marked done in a second while a third joins: the third's {@code join(timeout)}
     * answers false while they are undone, and its {@code join()} returns only once the second has marked all done.
     */
    @Test
    public void putInOneProcessMarkedDoneInAnotherAndJoinedInAThird() {
        within(60, "put, taskDone and join in three processes", () -> {
            int count = 50;
            JoinableQueue<Integer> queue = context.joinableQueue();
            SharedEvent joining = context.event();
            SharedInt done = context.sharedInt(0);
            Queue<Integer> seen = context.queue();
            ChildProcess producer = context.process(() -> putNumbers(queue, count)).start();
            producer.join();
            assertEquals(0, producer.exitCode().getAsInt(), () -> "producer failed: " + producer.failure());
            ChildProcess joiner = context.process(() -> joinAndReport(queue, joining, done, seen)).daemon(true)
                    .start();
            assertTrue(joining.await(TckTimeouts.seconds(20).toMillis(), TimeUnit.MILLISECONDS),
                    "the joining child never started to join");
            ChildProcess worker = context.process(() -> takeCountAndMarkDone(queue, count, done)).daemon(true)
                    .start();
            Integer doneWhenJoined = seen.get(TckTimeouts.seconds(30).toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(doneWhenJoined != STOP,
                    "join(timeout) in a third process returned true while " + count + " tasks put in another were undone");
            assertEquals(count, doneWhenJoined, "the third process's join returned with only " + doneWhenJoined
                    + " of " + count + " tasks done");
            worker.join();
            joiner.join();
            assertEquals(0, worker.exitCode().getAsInt(), () -> "worker failed: " + worker.failure());
            assertEquals(0, joiner.exitCode().getAsInt(), () -> "joiner failed: " + joiner.failure());
            return null;
        });
    }

    /**
     * The shared counters of {@link #tasksMarkedDoneAsSoonAsTakenAreNeverRefused}.
     *
     * @param arrived the start barrier's count
     * @param producersDone how many producers have put all their elements
     * @param takenWhileProducing how many elements consumers took while a producer was still putting
     * @param done how many elements consumers took and marked done
     * @param refused how many {@code taskDone()} calls were refused
     * @serial exclude
     */
    @SuppressWarnings("InvalidBlockTag") // "@serial exclude" keeps JDK 17's javadoc from asking about the fields
    record Tally(SharedInt arrived, SharedInt producersDone, SharedInt takenWhileProducing, SharedInt done,
            SharedInt refused) implements java.io.Serializable {
        static Tally of(dev.multiproc.Context context) {
            return new Tally(context.sharedInt(0), context.sharedInt(0), context.sharedInt(0), context.sharedInt(0),
                    context.sharedInt(0));
        }
    }

    static void produceAtTheBarrier(JoinableQueue<Integer> queue, Tally tally, int parties, int count)
            throws InterruptedException {
        Contention.startTogether(tally.arrived(), parties);
        putNumbers(queue, count);
        tally.producersDone().incrementAndGet();
    }

    static void consumeAtTheBarrier(JoinableQueue<Integer> queue, Tally tally, int parties, int producers)
            throws InterruptedException {
        Contention.startTogether(tally.arrived(), parties);
        int whileProducing = 0;
        for (int item = queue.get(); item != STOP; item = queue.get()) {
            if (tally.producersDone().get() < producers) {
                whileProducing++;
            }
            tally.done().incrementAndGet();
            try {
                queue.taskDone();
            } catch (IllegalStateException refused) {
                tally.refused().incrementAndGet();
            }
        }
        tally.takenWhileProducing().addAndGet(whileProducing);
    }

    /**
     * Two producers and two consumers, released together from a start barrier: each consumer marks every element
     * done as soon as it has it, and is never refused (a put counts its element before anyone can take it); the
     * parent's join returns once all are done, and not before. The consumers must have taken while the producers
     * were still putting, or nothing was tested.
     */
    @Test
    public void tasksMarkedDoneAsSoonAsTakenAreNeverRefused() {
        within(90, "producers and consumers of a joinable queue", () -> {
            int producers = 2;
            int consumers = 2;
            int perProducer = 500;
            int total = producers * perProducer;
            JoinableQueue<Integer> queue = context.joinableQueue();
            Tally tally = Tally.of(context);
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < producers; i++) {
                children.add(context.process(() -> produceAtTheBarrier(queue, tally, producers + consumers,
                        perProducer)).start());
            }
            for (int i = 0; i < consumers; i++) {
                children.add(context.process(() -> consumeAtTheBarrier(queue, tally, producers + consumers,
                        producers)).daemon(true).start());
            }
            try {
                await(60, "the producers to put every element, or a taskDone() refused",
                        () -> tally.producersDone().get() == producers || tally.refused().get() > 0);
                long deadline = System.nanoTime() + TckTimeouts.seconds(30).toNanos();
                boolean joined = false;
                while (!joined && tally.refused().get() == 0 && System.nanoTime() - deadline < 0) {
                    joined = queue.join(50, TimeUnit.MILLISECONDS);
                }
                assertEquals(0, tally.refused().get(),
                        "taskDone() right after a get was refused: it ran ahead of the put of its element");
                assertTrue(joined, "join did not return once every task was done");
                assertEquals(total, tally.done().get(), "join returned with only " + tally.done().get() + " of "
                        + total + " tasks done");
            } finally {
                for (int i = 0; i < consumers; i++) {
                    queue.offer(STOP);
                }
            }
            for (ChildProcess child : children) {
                child.join();
                assertEquals(0, child.exitCode().getAsInt(), () -> "a child failed: " + child.failure());
            }
            assertTrue(tally.takenWhileProducing().get() > 0,
                    "the consumers never took while the producers put: nothing overlapped, nothing was tested");
            return null;
        });
    }
}
