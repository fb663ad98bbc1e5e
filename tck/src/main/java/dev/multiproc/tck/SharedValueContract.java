package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.ChildProcess;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedLock;
import dev.multiproc.SharedLong;
import dev.multiproc.SharedValue;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shared ints, longs and values: every operation, and exact counts under contention. */
public abstract class SharedValueContract extends TransportContract {
    private static final int PROCESSES = 4;
    private static final int INCREMENTS = 1000;

    /** A serializable record for SharedValue. */
    public record Point(int x, String label) implements Serializable {
    }

    static void lockedIncrements(SharedInt value, SharedLock lock) {
        for (int i = 0; i < INCREMENTS; i++) {
            try (var held = lock.acquire()) {
                value.set(value.get() + 1);
            }
        }
    }

    static void atomicIncrements(SharedLong value) {
        for (int i = 0; i < INCREMENTS; i++) {
            value.incrementAndGet();
        }
    }

    /** Every SharedInt operation, with AtomicInteger's semantics including overflow. */
    @Test
    public void sharedIntOperations() {
        within(30, "SharedInt", () -> {
            SharedInt value = context.sharedInt(5);
            assertEquals(5, value.get());
            value.set(7);
            assertEquals(7, value.getAndSet(9));
            assertEquals(9, value.getAndAdd(3));
            assertEquals(15, value.addAndGet(3));
            assertEquals(16, value.incrementAndGet());
            assertEquals(15, value.decrementAndGet());
            assertEquals(15, value.getAndIncrement());
            assertTrue(value.compareAndSet(16, 1));
            assertFalse(value.compareAndSet(16, 2));
            assertEquals(1, value.get());
            value.set(Integer.MAX_VALUE);
            assertEquals(Integer.MIN_VALUE, value.incrementAndGet());
            return null;
        });
    }

    /** Every SharedLong operation. */
    @Test
    public void sharedLongOperations() {
        within(30, "SharedLong", () -> {
            SharedLong value = context.sharedLong(1L << 40);
            assertEquals(1L << 40, value.getAndAdd(1));
            assertEquals((1L << 40) + 2, value.incrementAndGet());
            assertTrue(value.compareAndSet((1L << 40) + 2, -5));
            assertEquals(-5, value.getAndSet(Long.MAX_VALUE));
            assertEquals(Long.MIN_VALUE, value.incrementAndGet());
            return null;
        });
    }

    /** 4 processes x 1,000 locked read-modify-writes lose nothing. */
    @Test
    public void lockedIncrementsFromManyProcessesAreExact() {
        within(120, "locked increments", () -> {
            SharedInt value = context.sharedInt(0);
            SharedLock lock = context.lock();
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                children.add(context.process(() -> lockedIncrements(value, lock)).start());
            }
            for (ChildProcess child : children) {
                child.join();
                assertEquals(0, child.exitCode().getAsInt());
            }
            assertEquals(PROCESSES * INCREMENTS, value.get());
            return null;
        });
    }

    /** 4 processes x 1,000 atomic increments without a lock lose nothing. */
    @Test
    public void atomicIncrementsFromManyProcessesAreExact() {
        within(120, "atomic increments", () -> {
            SharedLong value = context.sharedLong(0);
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                children.add(context.process(() -> atomicIncrements(value)).start());
            }
            for (ChildProcess child : children) {
                child.join();
            }
            assertEquals(PROCESSES * INCREMENTS, value.get());
            return null;
        });
    }

    /** A SharedValue set in a child is seen by the parent; each get is a fresh copy. */
    @Test
    public void sharedValueCrossesProcesses() {
        within(60, "SharedValue", () -> {
            SharedValue<Point> point = context.sharedValue(new Point(1, "start"));
            SharedValue<List<String>> list = context.sharedValue(null);
            ChildProcess child = context.process(() -> {
                Point seen = point.get();
                point.set(new Point(seen.x() + 1, "child"));
                list.set(new ArrayList<>(List.of("x", "y")));
            }).start();
            child.join();
            assertEquals(new Point(2, "child"), point.get());
            assertEquals(List.of("x", "y"), list.get());
            assertEquals(new Point(2, "child"), point.getAndSet(new Point(3, "parent")));
            assertEquals(new Point(3, "parent"), point.get());
            return null;
        });
    }
}
