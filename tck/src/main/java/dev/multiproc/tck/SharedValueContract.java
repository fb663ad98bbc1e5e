package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.ChildProcess;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedLock;
import dev.multiproc.SharedLong;
import dev.multiproc.SharedValue;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link SharedInt}, {@link SharedLong} and {@link SharedValue}: every operation in one process,
 * exact counts when several processes increment at once, and values set in one process seen in another.
 */
public abstract class SharedValueContract extends TransportContract {
    private static final int PROCESSES = 4;
    private static final int INCREMENTS = 1000;

    /** For a transport's subclass, which JUnit instantiates. */
    protected SharedValueContract() {
    }

    /**
     * A serializable record to share.
     *
     * @param x a number
     * @param label a label
     * @serial exclude
     */
    // A record's serialized form is its components, documented above; "@serial exclude" keeps JDK 17's javadoc from
    // asking for comments on their implicit fields, which a record cannot have (later JDKs do not ask).
    @SuppressWarnings("InvalidBlockTag") // "@serial exclude" is for javadoc, as said above
    public record Point(int x, String label) implements Serializable {
    }

    /**
     * After the start barrier, {@link #INCREMENTS} read-then-write increments under {@code lock}, each followed by a
     * wait for another party's turn (see {@link Contention}); adds to {@code interleaved} how many times the lock
     * came to this party from another one (evidence that they ran at the same time).
     */
    @SuppressWarnings("try") // the guard is only there to be closed
    static void lockedIncrements(SharedInt value, SharedLock lock, SharedInt arrived, SharedInt lastHolder,
            SharedInt finished, SharedInt interleaved, int me) {
        Contention.startTogether(arrived, PROCESSES);
        int handoffs = 0;
        for (int i = 0; i < INCREMENTS; i++) {
            try (var held = lock.acquire()) {
                int seen = value.get();
                if (lastHolder.getAndSet(me) != me) {
                    handoffs++;
                }
                value.set(seen + 1);
            }
            Contention.awaitAnotherTurn(lastHolder, me, finished, PROCESSES);
        }
        finished.incrementAndGet();
        interleaved.addAndGet(handoffs);
    }

    /**
     * As {@link #lockedIncrements}, with {@code incrementAndGet} and no lock: a turn is an increment, and this party
     * waits until the value has moved on from its own before the next; adds to {@code interleaved} how many times
     * it had.
     */
    static void atomicIncrements(SharedInt value, SharedLong longValue, SharedInt arrived, SharedInt finished,
            SharedInt interleaved) {
        Contention.startTogether(arrived, PROCESSES);
        int previous = -1;
        int jumps = 0;
        for (int i = 0; i < INCREMENTS; i++) {
            int now = value.incrementAndGet();
            longValue.incrementAndGet();
            if (previous >= 0 && now != previous + 1) {
                jumps++;
            }
            previous = now;
            Contention.awaitAnotherTurn(value, now, finished, PROCESSES);
        }
        finished.incrementAndGet();
        interleaved.addAndGet(jumps);
    }

    static void replaceValues(SharedValue<Point> point, SharedValue<List<String>> list,
            SharedValue<Point> previous) {
        Point seen = point.get();
        previous.set(point.getAndSet(new Point(seen.x() + 1, "child")));
        List<String> items = new ArrayList<>(list.get());
        items.add("child");
        list.set(items);
    }

    /** Every SharedInt operation, in one process, behaves as AtomicInteger's does, overflow included. */
    @Test
    public void sharedIntOperationsFollowAtomicInteger() {
        within(10, "SharedInt operations", () -> {
            SharedInt value = context.sharedInt(5);
            assertEquals(5, value.get());
            value.set(7);
            assertEquals(7, value.get());
            assertEquals(7, value.getAndSet(9));
            assertEquals(9, value.get());
            assertEquals(9, value.getAndAdd(3));
            assertEquals(12, value.get());
            assertEquals(15, value.addAndGet(3));
            assertEquals(13, value.addAndGet(-2));
            assertEquals(14, value.incrementAndGet());
            assertEquals(13, value.decrementAndGet());
            assertEquals(13, value.getAndIncrement());
            assertEquals(14, value.get());
            assertTrue(value.compareAndSet(14, 1));
            assertEquals(1, value.get());
            assertFalse(value.compareAndSet(14, 2));
            assertEquals(1, value.get());

            value.set(Integer.MAX_VALUE);
            @SuppressWarnings("UnnecessaryAsync") // the JDK's AtomicInteger is the reference semantics
            AtomicInteger reference = new AtomicInteger(Integer.MAX_VALUE);
            assertEquals(reference.incrementAndGet(), value.incrementAndGet());
            assertEquals(Integer.MIN_VALUE, value.get());
            assertEquals(reference.decrementAndGet(), value.decrementAndGet());
            assertEquals(Integer.MAX_VALUE, value.get());
            assertEquals(reference.getAndAdd(10), value.getAndAdd(10));
            assertEquals(reference.get(), value.get());
            assertEquals(reference.addAndGet(Integer.MIN_VALUE), value.addAndGet(Integer.MIN_VALUE));
            assertEquals(reference.getAndIncrement(), value.getAndIncrement());
            assertEquals(reference.get(), value.get());
            return null;
        });
    }

    /** Every SharedLong operation, in one process, behaves as AtomicLong's does, beyond 32 bits and overflow. */
    @Test
    public void sharedLongOperationsFollowAtomicLong() {
        within(10, "SharedLong operations", () -> {
            long big = 1L << 40;
            SharedLong value = context.sharedLong(big);
            assertEquals(big, value.get());
            value.set(big + 7);
            assertEquals(big + 7, value.get());
            assertEquals(big + 7, value.getAndSet(big + 9));
            assertEquals(big + 9, value.getAndAdd(3));
            assertEquals(big + 12, value.get());
            assertEquals(big + 15, value.addAndGet(3));
            assertEquals(big + 13, value.addAndGet(-2));
            assertEquals(big + 14, value.incrementAndGet());
            assertEquals(big + 13, value.decrementAndGet());
            assertEquals(big + 13, value.getAndIncrement());
            assertEquals(big + 14, value.get());
            assertTrue(value.compareAndSet(big + 14, -5));
            assertEquals(-5, value.get());
            assertFalse(value.compareAndSet(big + 14, 2));
            assertEquals(-5, value.get());
            assertFalse(value.compareAndSet(-5 + (1L << 32), 2), "compareAndSet must compare all 64 bits");

            assertEquals(-5, value.getAndSet(Long.MAX_VALUE));
            assertEquals(Long.MIN_VALUE, value.incrementAndGet());
            assertEquals(Long.MAX_VALUE, value.decrementAndGet());
            assertEquals(Long.MAX_VALUE, value.getAndAdd(2));
            assertEquals(Long.MIN_VALUE + 1, value.get());
            return null;
        });
    }

    /**
     * Four processes each doing 1,000 increments under a shared lock leave exactly 4,000. They start together (a
     * barrier), take turns (see {@link Contention}) and must be seen to interleave, so that a lock that did nothing
     * could not pass.
     */
    @Test
    public void lockedIncrementsFromManyProcessesAreExact() {
        within(60, "locked increments", () -> {
            SharedInt value = context.sharedInt(0);
            SharedLock lock = context.lock();
            SharedInt arrived = context.sharedInt(0);
            SharedInt lastHolder = context.sharedInt(0);
            SharedInt finished = context.sharedInt(0);
            SharedInt interleaved = context.sharedInt(0);
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                int me = i + 1;
                children.add(context.process(
                        () -> lockedIncrements(value, lock, arrived, lastHolder, finished, interleaved, me)).start());
            }
            for (ChildProcess child : children) {
                child.join();
                assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            }
            assertEquals(PROCESSES * INCREMENTS, value.get(), "increments lost");
            assertTrue(interleaved.get() >= INCREMENTS, "the children's increments interleaved only "
                    + interleaved.get() + " times: they did not run at the same time, so the test proved nothing");
            assertFalse(lock.isLocked());
            return null;
        });
    }

    /**
     * Four processes each doing 1,000 {@code incrementAndGet} without a lock leave exactly 4,000; they start
     * together, take turns and must be seen to interleave.
     */
    @Test
    public void atomicIncrementsFromManyProcessesAreExact() {
        within(60, "atomic increments", () -> {
            SharedInt value = context.sharedInt(0);
            SharedLong longValue = context.sharedLong(0);
            SharedInt arrived = context.sharedInt(0);
            SharedInt finished = context.sharedInt(0);
            SharedInt interleaved = context.sharedInt(0);
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                children.add(context.process(
                        () -> atomicIncrements(value, longValue, arrived, finished, interleaved)).start());
            }
            for (ChildProcess child : children) {
                child.join();
                assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            }
            assertEquals(PROCESSES * INCREMENTS, value.get(), "increments lost");
            assertEquals(PROCESSES * INCREMENTS, longValue.get(), "increments lost");
            assertTrue(interleaved.get() >= INCREMENTS, "the children's increments interleaved only "
                    + interleaved.get() + " times: they did not run at the same time, so the test proved nothing");
            return null;
        });
    }

    /** In one process, get returns a copy: changing it changes nothing shared until it is set; null is a value. */
    @Test
    public void sharedValueGetReturnsACopy() {
        within(10, "SharedValue copies", () -> {
            SharedValue<List<String>> list = context.sharedValue(new ArrayList<>(List.of("a")));
            List<String> copy = list.get();
            copy.add("b");
            assertEquals(List.of("a"), list.get());
            list.set(copy);
            assertEquals(List.of("a", "b"), list.get());
            assertEquals(List.of("a", "b"), list.getAndSet(null));
            assertNull(list.get());
            return null;
        });
    }

    /**
     * A record and a List set with {@code set} and {@code getAndSet} in a child are seen by the parent, and the
     * child's {@code getAndSet} returns what the parent had set.
     */
    @Test
    public void sharedValueCrossesProcesses() {
        within(30, "SharedValue across processes", () -> {
            SharedValue<Point> point = context.sharedValue(new Point(1, "start"));
            SharedValue<List<String>> list = context.sharedValue(new ArrayList<>(List.of("parent")));
            SharedValue<Point> previous = context.sharedValue(null);
            ChildProcess child = context.process(() -> replaceValues(point, list, previous)).start();
            child.join();
            assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            assertEquals(new Point(1, "start"), previous.get());
            assertEquals(new Point(2, "child"), point.get());
            assertEquals(List.of("parent", "child"), list.get());
            assertEquals(new Point(2, "child"), point.getAndSet(new Point(3, "parent")));
            assertEquals(new Point(3, "parent"), point.get());
            return null;
        });
    }
}
