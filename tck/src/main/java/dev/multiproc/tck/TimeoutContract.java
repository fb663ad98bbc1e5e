package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.Pool;
import dev.multiproc.SharedInt;
import dev.multiproc.TaskTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code Pool.Builder.taskTimeout}: a task past its deadline fails its call with {@link TaskTimeoutException} at the
 * deadline; the worker's thread is interrupted, and a task that does not return within the grace period has its
 * worker killed and replaced; other tasks are not affected, and a timed-out task is never re-run.
 */
public abstract class TimeoutContract extends TransportContract {

    /** For a transport's subclass, which JUnit instantiates. */
    protected TimeoutContract() {
    }

    static long pid(int ignored) {
        return ProcessHandle.current().pid();
    }

    /**
     * @return how long a task that should be stopped sleeps: longer than any deadline a test waits for it to stop
     *     (scaled like them, in the test's JVM, and captured by the task)
     */
    static long longSleepMillis() {
        return TckTimeouts.millis(40);
    }

    /** Sleeps {@code millis}; returns early, by throwing, when interrupted. */
    static int sleepsUnlessInterrupted(long millis, int x) throws InterruptedException {
        Thread.sleep(millis);
        return x;
    }

    /** Runs for a minute whatever happens: it swallows interrupts. */
    static int ignoresInterrupts(SharedInt attempts, int x) {
        attempts.incrementAndGet();
        runForAMinuteIgnoringInterrupts();
        return x;
    }

    /** What a task that will not stop does: sleeps for a minute, swallowing every interrupt. */
    static void runForAMinuteIgnoringInterrupts() {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                // swallowed on purpose: this task will not stop
            }
        }
    }

    static int sleeps(long millis, int x) throws InterruptedException {
        Thread.sleep(millis);
        return x;
    }

    private static <T> T failure(Class<T> type, CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> future.get(TckTimeouts.millis(60), TimeUnit.MILLISECONDS));
        assertTrue(type.isInstance(e.getCause()), "expected " + type.getSimpleName() + ", got " + e.getCause());
        return type.cast(e.getCause());
    }

    /** At its deadline, and not before, the call fails; the task stops when interrupted, and its worker lives on. */
    @Test
    public void aTaskPastItsTimeoutFailsAtTheDeadlineAndAnInterruptibleOneKeepsItsWorker() {
        Duration timeout = Duration.ofMillis(500);
        long sleep = longSleepMillis();
        Pool pool = context.poolBuilder().workers(1).taskTimeout(timeout).interruptGrace(Duration.ofMinutes(5)).build();
        try {
            long before = within(60, "a first task", () -> pool.apply(TimeoutContract::pid, 0));
            long start = System.nanoTime();
            TaskTimeoutException timedOut = within(60, "the sleeping task", () -> assertThrows(
                    TaskTimeoutException.class, () -> pool.apply(x -> sleepsUnlessInterrupted(sleep, x), 1)));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMillis >= timeout.toMillis(), "failed after " + tookMillis + " ms, before its deadline");
            assertEquals(timeout, timedOut.timeout());
            assertEquals(before, timedOut.pid());
            assertTrue(timedOut.getMessage().contains(timedOut.worker()), timedOut.getMessage());
            // the interrupted task returned: the same worker process takes the next task, long before any grace ran out
            assertEquals(before, within(15, "a task after the timeout", () -> pool.apply(TimeoutContract::pid, 0)));
        } finally {
            pool.terminate(); // not close(): where this test fails, the sleeping task was not stopped
        }
    }

    /**
     * A timeout per call: the calls made through {@code withTaskTimeout(d)} give their tasks that deadline, while
     * the same pool's own calls keep the pool's (here none, then for a view, none over the pool's).
     */
    @Test
    public void withTaskTimeoutGivesTheCallsMadeThroughItTheirOwnDeadline() {
        Duration timeout = Duration.ofMillis(300);
        long sleep = longSleepMillis();
        Pool pool = context.poolBuilder().workers(1).interruptGrace(Duration.ofMinutes(5)).build();
        try {
            long before = within(60, "a first task", () -> pool.apply(TimeoutContract::pid, 0));
            Pool strict = pool.withTaskTimeout(timeout);
            TaskTimeoutException timedOut = within(60, "the sleeping task", () -> assertThrows(
                    TaskTimeoutException.class, () -> strict.map(x -> sleepsUnlessInterrupted(sleep, x), List.of(1))));
            assertEquals(timeout, timedOut.timeout());
            assertEquals(before, within(15, "a task after the timeout", () -> pool.apply(TimeoutContract::pid, 0)));
            // the pool's own calls have no deadline: a task longer than the view's runs to its end
            assertEquals(List.of(2), within(60, "a task longer than the view's timeout",
                    () -> pool.map(x -> sleeps(3 * timeout.toMillis(), x), List.of(2))));
            int unlimited = within(60, "the same, through a view without a timeout",
                    () -> pool.withTaskTimeout(Duration.ofMillis(100)).withTaskTimeout(null)
                            .apply(x -> sleeps(3 * timeout.toMillis(), x), 1));
            assertEquals(1, unlimited);
            assertThrows(IllegalArgumentException.class, () -> pool.withTaskTimeout(Duration.ZERO));
        } finally {
            pool.terminate(); // not close(): where this test fails, the sleeping task was not stopped
        }
    }

    /** A task that swallows its interrupt has its worker killed after the grace period, and the pool replaces it. */
    @Test
    public void aTaskThatIgnoresItsInterruptHasItsWorkerKilledAndReplaced() {
        SharedInt attempts = context.sharedInt(0);
        try (Pool pool = context.poolBuilder().workers(1).taskTimeout(Duration.ofMillis(300))
                .interruptGrace(Duration.ofMillis(300)).build()) {
            long previous = within(60, "a first task", () -> pool.apply(TimeoutContract::pid, 0));
            for (int round = 0; round < 3; round++) {
                within(60, "the stuck task", () -> assertThrows(TaskTimeoutException.class,
                        () -> pool.apply(x -> ignoresInterrupts(attempts, x), 1)));
                long next = within(60, "a task after the kill", () -> pool.apply(TimeoutContract::pid, 0));
                assertNotEquals(previous, next, "the stuck worker was replaced");
                long killed = previous;
                await(30, "the stuck worker's exit",
                        () -> ProcessHandle.of(killed).map(p -> !p.isAlive()).orElse(true));
                previous = next;
            }
            assertEquals(1, pool.workers());
            assertEquals(3, attempts.get(), "each stuck task ran once");
        }
    }

    /**
     * One stuck task fails alone: tasks running on other workers, and those queued behind it on its own worker, all
     * complete with their results.
     */
    @Test
    public void otherTasksAreNotAffected() {
        SharedInt attempts = context.sharedInt(0);
        try (Pool pool = context.poolBuilder().workers(2).taskTimeout(Duration.ofSeconds(2))
                .interruptGrace(Duration.ofMillis(200)).build()) {
            within(60, "warming the pool", () -> pool.map(x -> x + 1, List.of(1, 2, 3, 4), 1));
            CompletableFuture<Integer> stuck = pool.applyAsync(x -> ignoresInterrupts(attempts, x), 0);
            List<CompletableFuture<Integer>> others = new ArrayList<>();
            for (int x = 1; x <= 20; x++) {
                others.add(pool.applyAsync(y -> sleeps(20, y) * 10, x));
            }
            failure(TaskTimeoutException.class, stuck);
            for (int x = 1; x <= 20; x++) {
                int expected = x * 10;
                assertEquals(expected, (int) within(60, "task " + x, others.get(x - 1)::get));
            }
        }
    }

    /** A timed-out task is not re-run, whatever {@code retries} says: retries are for crashes. */
    @Test
    public void aTimedOutTaskIsNotRetried() {
        SharedInt attempts = context.sharedInt(0);
        // a timeout far above the later tasks' 50 ms, which must not time out on a loaded machine
        try (Pool pool = context.poolBuilder().workers(2).retries(3).taskTimeout(Duration.ofSeconds(1))
                .interruptGrace(Duration.ofMillis(100)).build()) {
            within(60, "the stuck task", () -> assertThrows(TaskTimeoutException.class,
                    () -> pool.apply(x -> ignoresInterrupts(attempts, x), 1)));
            // two tasks per worker after the kill: the replacement is up, and nothing re-ran the stuck task
            within(60, "tasks after the kill", () -> pool.map(x -> sleeps(50, x), List.of(1, 2, 3, 4), 1));
            assertEquals(1, attempts.get());
        }
    }

    /** A chunk of n items may run for n times the timeout: the timeout is per task, not per message. */
    @Test
    public void aChunkMayRunForTheTimeoutOfEachOfItsItems() {
        try (Pool pool = context.poolBuilder().workers(1).taskTimeout(Duration.ofSeconds(1)).build()) {
            // three items of 600 ms: 1.8 s for the chunk, under its 3 s and over one item's 1 s
            assertEquals(List.of(1, 2, 3), within(60, "a chunk of three",
                    () -> pool.map(x -> sleeps(600, x), List.of(1, 2, 3), 3)));
        }
    }
}
