package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.Pool;
import dev.multiproc.SharedInt;
import dev.multiproc.TaskFailedException;
import dev.multiproc.WorkerCrashedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code Pool.Builder.retries(n)}: the chunk of a worker that dies is run again on another worker, up to n times;
 * a task that throws is not retried; the default, 0, fails the chunk at the first crash.
 */
public abstract class RetryContract extends TransportContract {

    /** For a transport's subclass, which JUnit instantiates. */
    protected RetryContract() {
    }

    /** Kills its worker (status 137, as SIGKILL would) on the first {@code crashes} attempts, then answers. */
    static int crashFirst(SharedInt attempts, int crashes, int x) {
        if (attempts.getAndIncrement() < crashes) {
            Runtime.getRuntime().halt(137);
        }
        return x * 10;
    }

    static int fails(SharedInt attempts, int x) {
        attempts.incrementAndGet();
        throw new IllegalStateException("task " + x + " fails on purpose");
    }

    /** A chunk whose worker is killed while running it runs again on another worker, once, and the map succeeds. */
    @Test
    public void aChunkLostWithItsWorkerRunsAgainOnAnotherWorker() {
        SharedInt attempts = context.sharedInt(0);
        try (Pool pool = context.poolBuilder().workers(2).retries(1).build()) {
            List<Integer> results = within(60, "the retried map",
                    () -> pool.map(x -> crashFirst(attempts, 1, x), List.of(7), 1));
            assertEquals(List.of(70), results);
            assertEquals(2, attempts.get());
        }
    }

    /** Without retries, a worker killed mid-chunk fails the map with {@link WorkerCrashedException} at once. */
    @Test
    public void withoutRetriesTheFirstCrashFailsTheCall() {
        SharedInt attempts = context.sharedInt(0);
        try (Pool pool = context.poolBuilder().workers(2).build()) {
            WorkerCrashedException crash = within(60, "the crashing map", () -> assertThrows(
                    WorkerCrashedException.class, () -> pool.map(x -> crashFirst(attempts, 1, x), List.of(7), 1)));
            assertEquals(137, crash.exitStatus());
            assertEquals(1, attempts.get());
        }
    }

    /** A chunk that kills every worker it runs on fails after its retries, saying how many; the pool still works. */
    @Test
    public void aChunkThatKeepsCrashingFailsAfterItsRetriesNamingThem() {
        SharedInt attempts = context.sharedInt(0);
        try (Pool pool = context.poolBuilder().workers(2).retries(2).build()) {
            WorkerCrashedException crash = within(90, "the crashing map", () -> assertThrows(
                    WorkerCrashedException.class, () -> pool.map(x -> crashFirst(attempts, 99, x), List.of(7), 1)));
            assertTrue(crash.getMessage().contains("after 2 retries"), crash.getMessage());
            assertEquals(3, attempts.get());
            assertEquals(List.of(2), within(60, "a map after the crashes", () -> pool.map(x -> x + 1, List.of(1))));
        }
    }

    /** A task that throws fails its map with {@link TaskFailedException} and is not retried: only crashes are. */
    @Test
    public void aTaskThatThrowsIsNotRetried() {
        SharedInt attempts = context.sharedInt(0);
        try (Pool pool = context.poolBuilder().workers(2).retries(3).build()) {
            within(60, "the failing map", () -> assertThrows(TaskFailedException.class,
                    () -> pool.map(x -> fails(attempts, x), List.of(1), 1)));
            assertEquals(1, attempts.get());
        }
    }

    static int haltOnZero(int x) {
        if (x == 0) {
            Runtime.getRuntime().halt(137);
        }
        return x * 10;
    }

    /**
     * Without retries, a worker that dies fails only the chunk it was running: chunks it had been given to run after
     * it (a worker holds several while chunks are short) never started, and run on another worker.
     */
    @Test
    public void chunksQueuedBehindTheCrashedOneRunElsewhere() {
        try (Pool pool = context.poolBuilder().workers(1).build()) {
            within(60, "warming the pool with short chunks",
                    () -> pool.map(x -> x + 1, IntStream.range(0, 300).boxed().toList(), 1));
            List<CompletableFuture<Integer>> futures = new ArrayList<>();
            for (int x = 0; x < 4; x++) {
                int argument = x;
                futures.add(pool.submit(() -> haltOnZero(argument)));
            }
            ExecutionException crash = assertThrows(ExecutionException.class, () -> futures.get(0)
                    .get(TckTimeouts.seconds(30).toMillis(), TimeUnit.MILLISECONDS));
            assertTrue(crash.getCause() instanceof WorkerCrashedException, String.valueOf(crash.getCause()));
            for (int x = 1; x < 4; x++) {
                int expected = x * 10;
                int result = within(30, "a chunk queued behind the crash", futures.get(x)::get);
                assertEquals(expected, result);
            }
        }
    }
}
