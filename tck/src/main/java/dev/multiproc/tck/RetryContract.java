package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.DeathCertificate;
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
 * {@code Pool.Builder.retries(n)}: the chunk of a worker that dies is run again on another worker, up to n times,
 * and fails once it has killed n + 1 workers (by default 2: a poison task), with a death certificate for each; a
 * task that throws is not retried; with 0, the first crash fails the chunk.
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

    /**
     * With no retries, a worker killed mid-chunk fails the map with {@link WorkerCrashedException} at once, with the
     * worker's death certificate: its pid, its status, the chunk it was running, its age.
     */
    @Test
    public void withoutRetriesTheFirstCrashFailsTheCall() {
        SharedInt attempts = context.sharedInt(0);
        try (Pool pool = context.poolBuilder().workers(2).retries(0).build()) {
            WorkerCrashedException crash = within(60, "the crashing map", () -> assertThrows(
                    WorkerCrashedException.class, () -> pool.map(x -> crashFirst(attempts, 1, x), List.of(7), 1)));
            assertEquals(137, crash.exitStatus());
            assertEquals(1, attempts.get());
            assertEquals(1, crash.deathCertificates().size(), crash.getMessage());
            DeathCertificate death = crash.deathCertificates().get(0);
            assertEquals(crash.pid(), death.pid());
            assertEquals(crash.worker(), death.worker());
            assertEquals(137, death.exitStatus());
            assertEquals(9, death.signal());
            assertFalse(death.outOfMemory());
            assertEquals(List.of("chunk 0 of a task (running)"), death.tasksHeld());
            assertTrue(death.lifetime().toNanos() > 0, death.summary());
        }
    }

    /**
     * A chunk that kills every worker it runs on fails after its retries, saying how many, with a death certificate
     * for each worker it killed; the pool still works.
     */
    @Test
    public void aChunkThatKeepsCrashingFailsAfterItsRetriesNamingThem() {
        SharedInt attempts = context.sharedInt(0);
        try (Pool pool = context.poolBuilder().workers(2).retries(2).build()) {
            WorkerCrashedException crash = within(90, "the crashing map", () -> assertThrows(
                    WorkerCrashedException.class, () -> pool.map(x -> crashFirst(attempts, 99, x), List.of(7), 1)));
            assertTrue(crash.getMessage().contains("after 2 retries"), crash.getMessage());
            assertEquals(3, attempts.get());
            assertEquals(3, crash.deathCertificates().size(), crash.getMessage());
            assertEquals(3, crash.deathCertificates().stream().mapToLong(DeathCertificate::pid).distinct().count(),
                    "three different workers: " + crash.deathCertificates());
            for (DeathCertificate death : crash.deathCertificates()) {
                assertEquals(137, death.exitStatus(), death.summary());
                assertTrue(crash.getMessage().contains(Long.toString(death.pid())), crash.getMessage());
            }
            assertEquals(List.of(2), within(60, "a map after the crashes", () -> pool.map(x -> x + 1, List.of(1))));
        }
    }

    /**
     * By default a chunk runs on at most two workers: a poison task that kills every worker it runs on fails its
     * call after the second death, with both certificates, and the pool goes on with fresh workers.
     */
    @Test
    public void byDefaultAChunkThatKillsTwoWorkersIsNotRunAgain() {
        SharedInt attempts = context.sharedInt(0);
        try (Pool pool = context.poolBuilder().workers(2).build()) {
            WorkerCrashedException crash = within(90, "the poison map", () -> assertThrows(
                    WorkerCrashedException.class, () -> pool.map(x -> crashFirst(attempts, 99, x), List.of(7), 1)));
            assertEquals(2, attempts.get());
            assertEquals(2, crash.deathCertificates().size(), crash.getMessage());
            assertTrue(crash.getMessage().contains("killed 1 worker before"), crash.getMessage());
            assertEquals(List.of(2, 3), within(60, "a map after the poison",
                    () -> pool.map(x -> x + 1, List.of(1, 2), 1)));
            assertEquals(2, pool.workers());
        }
    }

    /** Fills the heap in one request larger than it: the JVM runs out of memory at once, touching nothing. */
    static int exhaustHeap(int x) {
        List<long[]> held = new ArrayList<>();
        while (held.size() < 1_000) {
            held.add(new long[Integer.MAX_VALUE - 16]);
        }
        return held.size() + x;
    }

    /**
     * A worker that runs out of heap exits at once instead of running on half-broken, and its death certificate says
     * it ran out of memory, with the JVM's own words from the end of its standard error.
     */
    @Test
    public void aWorkerOutOfHeapExitsAndItsCertificateSaysSo() {
        try (Pool pool = context.poolBuilder().workers(1).retries(0).build()) {
            WorkerCrashedException crash = within(60, "the map that runs out of heap", () -> assertThrows(
                    WorkerCrashedException.class, () -> pool.map(RetryContract::exhaustHeap, List.of(1), 1)));
            DeathCertificate death = crash.deathCertificates().get(0);
            assertTrue(death.outOfMemory(), death.toString());
            assertEquals(3, death.exitStatus(), death.toString());
            assertTrue(death.standardErrorTail().contains("java.lang.OutOfMemoryError"), death.toString());
            assertTrue(crash.getMessage().contains("out of memory"), crash.getMessage());
            assertEquals(List.of(2), within(60, "a map after it", () -> pool.map(x -> x + 1, List.of(1))));
        }
    }

    static int lastWords(int x) {
        System.err.println("last words of task " + x);
        System.err.flush();
        Runtime.getRuntime().halt(5);
        return x;
    }

    /** A death certificate quotes the end of the dead worker's standard error, and so does the message. */
    @Test
    public void aCertificateQuotesTheEndOfTheWorkersStandardError() {
        try (Pool pool = context.poolBuilder().workers(1).retries(0).build()) {
            WorkerCrashedException crash = within(60, "the crashing map", () -> assertThrows(
                    WorkerCrashedException.class, () -> pool.map(RetryContract::lastWords, List.of(41), 1)));
            DeathCertificate death = crash.deathCertificates().get(0);
            assertEquals(5, death.exitStatus());
            assertEquals(0, death.signal());
            assertTrue(death.standardErrorTail().endsWith("last words of task 41"), death.toString());
            assertTrue(crash.getMessage().contains("last words of task 41"), crash.getMessage());
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
        try (Pool pool = context.poolBuilder().workers(1).retries(0).build()) {
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
