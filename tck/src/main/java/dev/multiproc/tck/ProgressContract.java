package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.ContextStats;
import dev.multiproc.Pool;
import dev.multiproc.PoolStats;
import dev.multiproc.Progress;
import dev.multiproc.Queue;
import dev.multiproc.ResultIterator;
import dev.multiproc.SharedMap;
import dev.multiproc.TaskFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Watching work: a call's {@link Progress} ({@code Pool.progress(future)}, {@code ResultIterator.progress()}) counts
 * its tasks done, failed and running as they happen, {@link PoolStats} counts a pool's workers and tasks, and
 * {@link ContextStats} a context's children, pools and shared objects.
 */
public abstract class ProgressContract extends TransportContract {

    /** For a transport's subclass, which JUnit instantiates. */
    protected ProgressContract() {
    }

    /** Waits for a token on {@code gate}, then returns {@code x}, or throws for 5: the test decides when each ends. */
    static int gated(Queue<Integer> gate, int x) throws Exception {
        gate.get(TckTimeouts.millis(60), TimeUnit.MILLISECONDS);
        if (x == 5) {
            throw new IllegalStateException("task 5 fails on purpose");
        }
        return x;
    }

    /**
     * A map's progress moves with its tasks: each task the test lets finish is counted done (or failed) at once, the
     * two workers hold one task each while there is work, and the estimate of the time left appears with the first
     * finished task. The pool's stats count the same tasks.
     */
    @Test
    public void aMapsProgressCountsItsTasksAsTheyFinish() throws InterruptedException {
        Queue<Integer> gate = context.queue();
        try (Pool pool = context.poolBuilder().workers(2).build()) {
            // no work before: short chunks would let a worker hold several at once (prefetch)
            await(30, "both workers ready", () -> pool.stats().workersReady() == 2);
            CompletableFuture<List<Integer>> mapped = pool.mapAsync(x -> gated(gate, x), List.of(0, 1, 2, 3, 4, 5),
                    1);
            await(30, "two tasks running", () -> pool.progress(mapped).running() == 2);
            Progress start = pool.progress(mapped);
            assertEquals(6, start.total());
            assertEquals(0, start.done() + start.failed(), start.toString());
            assertTrue(start.eta().isEmpty(), "an estimate before any task finished: " + start);
            for (int finished = 1; finished <= 6; finished++) {
                gate.put(0);
                int expected = finished;
                long running = Math.min(2, 6 - finished);
                await(30, expected + " tasks finished and " + running + " running", () -> {
                    Progress now = pool.progress(mapped);
                    return now.done() + now.failed() == expected && now.running() == running;
                });
                Progress now = pool.progress(mapped);
                assertTrue(now.eta().isPresent(), now.toString());
                assertEquals(6 - finished, now.remaining(), now.toString());
            }
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> mapped.get(TckTimeouts.millis(30), TimeUnit.MILLISECONDS));
            assertInstanceOf(TaskFailedException.class, failed.getCause());
            Progress end = pool.progress(mapped);
            assertEquals(5, end.done(), end.toString());
            assertEquals(1, end.failed(), end.toString());
            assertEquals(0, end.running(), end.toString());
            assertEquals(1.0, end.fraction());
            assertTrue(end.toString().startsWith("6/6 tasks (100%), 1 failed, 0 running"), end.toString());

            PoolStats after = pool.stats();
            assertEquals(5, after.tasksDone(), after.toString());
            assertEquals(1, after.tasksFailed(), after.toString());
            assertEquals(0, after.tasksRunning(), after.toString());
            assertEquals(0, after.tasksQueued(), after.toString());
            assertEquals(2, after.workers(), after.toString());
            assertEquals(2, after.workersReady(), after.toString());
            assertEquals(2, after.workersStarted(), after.toString());
            assertEquals(0, after.workersDied(), after.toString());
        }
    }

    /** Tasks no worker has taken yet are counted queued in the pool's stats, and leave the count as they are sent. */
    @Test
    public void aPoolsStatsCountTheTasksWaitingForAWorker() throws InterruptedException {
        Queue<Integer> gate = context.queue();
        try (Pool pool = context.poolBuilder().workers(1).build()) {
            CompletableFuture<List<Integer>> mapped = pool.mapAsync(x -> gated(gate, x), List.of(0, 1, 2, 3), 1);
            await(30, "one task running", () -> pool.stats().tasksRunning() == 1);
            PoolStats stats = pool.stats();
            assertEquals(3, stats.tasksQueued(), stats.toString());
            for (int i = 0; i < 4; i++) {
                gate.put(0);
            }
            assertEquals(List.of(0, 1, 2, 3), within(30, "the map", () -> mapped.get()));
            assertEquals(0, pool.stats().tasksQueued());
        }
    }

    /**
     * An imap's progress has no total while its input is still being read, and counts its tasks as they finish; once
     * the input is read to its end, the total is known.
     */
    @Test
    public void anImapsProgressLearnsItsTotalWhenItsInputEnds() {
        try (Pool pool = context.poolBuilder().workers(2).build();
                ResultIterator<Integer> results = pool.imap(x -> x * 2, IntStream.range(0, 40).boxed().toList(), 1)) {
            List<Integer> seen = new ArrayList<>();
            Progress first = results.progress();
            assertTrue(first.total() == -1 || first.total() == 40, first.toString());
            within(60, "the imap", () -> {
                results.forEachRemaining(seen::add);
                return null;
            });
            assertEquals(40, seen.size());
            Progress end = results.progress();
            assertEquals(40, end.total(), end.toString());
            assertEquals(40, end.done(), end.toString());
            assertEquals(0, end.remaining());
        }
    }

    /** A worker that dies is counted in the pool's stats, and so is the one started in its place. */
    @Test
    public void aPoolsStatsCountAWorkerThatDiedAndItsReplacement() {
        try (Pool pool = context.poolBuilder().workers(1).retries(0).build()) {
            within(30, "the crash", () -> assertThrows(Exception.class, () -> pool.apply(x -> {
                Runtime.getRuntime().halt(9);
                return x;
            }, 1)));
            await(30, "the replacement ready", () -> pool.stats().workersReady() == 1);
            PoolStats stats = pool.stats();
            assertEquals(1, stats.workersDied(), stats.toString());
            assertEquals(2, stats.workersStarted(), stats.toString());
            assertEquals(1, stats.tasksFailed(), stats.toString());
        }
    }

    /**
     * A context's stats count its children (alive now, and started over its life), its open pools, and its hub's
     * shared objects and the bytes they hold (a map's entries, here).
     */
    @Test
    public void aContextsStatsCountItsChildrenPoolsAndSharedObjects() throws Exception {
        ContextStats before = context.stats();
        // a map lives in the hub on every transport (queues, values and the like are native on some)
        SharedMap<Integer, byte[]> map = context.sharedMap();
        map.put(1, new byte[10_000]);
        ContextStats withMap = context.stats();
        assertEquals(before.sharedObjects() + 1, withMap.sharedObjects(), withMap.toString());
        assertTrue(withMap.hubBytesHeld() >= before.hubBytesHeld() + 10_000, withMap.toString());
        assertTrue(withMap.hubBytesLimit() > 0, withMap.toString());
        try (Pool pool = context.poolBuilder().workers(2).build()) {
            await(30, "both workers alive", () -> context.stats().childrenAlive() == before.childrenAlive() + 2);
            assertEquals(2, pool.workers());
            ContextStats running = context.stats();
            assertEquals(before.poolsOpen() + 1, running.poolsOpen(), running.toString());
            assertEquals(before.childrenStarted() + 2, running.childrenStarted(), running.toString());
        }
        await(30, "the workers gone", () -> context.stats().childrenAlive() == before.childrenAlive());
        ContextStats after = context.stats();
        assertEquals(before.poolsOpen(), after.poolsOpen(), after.toString());
        assertEquals(before.childrenStarted() + 2, after.childrenStarted(), after.toString());
        map.remove(1);
        assertEquals(before.hubBytesHeld(), context.stats().hubBytesHeld(), "the entry removed: its bytes freed");
    }

    /** A future that is not one of this pool's calls is refused, saying which futures are. */
    @Test
    public void progressOfAFutureThatIsNotThePoolsIsRefused() {
        try (Pool pool = context.poolBuilder().workers(1).build(); Pool other = context.poolBuilder().workers(1)
                .build()) {
            CompletableFuture<Integer> elsewhere = other.applyAsync(x -> x, 1);
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> pool.progress(elsewhere));
            assertTrue(refused.getMessage().contains("mapAsync"), refused.getMessage());
            assertThrows(IllegalArgumentException.class, () -> pool.progress(elsewhere.thenApply(x -> x)));
            assertEquals(1, other.progress(elsewhere).total());
        }
    }
}
