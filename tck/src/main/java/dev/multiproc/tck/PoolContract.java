package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.Args2;
import dev.multiproc.Args3;
import dev.multiproc.MultiprocException;
import dev.multiproc.Pool;
import dev.multiproc.ResultIterator;
import dev.multiproc.SharedInt;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Pool semantics: order, chunking, laziness, initializer, worker recycling, close vs terminate. */
public abstract class PoolContract extends TransportContract {
    /** Set by the initializer in each worker JVM. */
    static volatile String initializedBy;

    /** For a transport's subclass, which JUnit instantiates. */
    protected PoolContract() {
    }

    static int square(int x) {
        return x * x;
    }

    static long pid(int ignored) {
        return ProcessHandle.current().pid();
    }

    static String initializedAndPid(int ignored) {
        return initializedBy + "@" + ProcessHandle.current().pid();
    }

    static String slowInitializedAndPid(int ignored) throws InterruptedException {
        Thread.sleep(50);
        return initializedAndPid(ignored);
    }

    static int sleepThenReturn(int x) throws InterruptedException {
        Thread.sleep(x);
        return x;
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    private static List<Integer> squares(int n) {
        return IntStream.range(0, n).map(x -> x * x).boxed().toList();
    }

    /**
     * Short tasks with large arguments keep the channels to the workers full while results stream back: the pool
     * neither deadlocks nor loses a chunk (a sender that waits for a full connection to drain must never block the
     * thread that drains it).
     */
    @Test
    public void shortTasksWithLargeArgumentsDoNotJamTheChannels() {
        try (Pool pool = context.pool(2)) {
            within(60, "warming the pool with short chunks",
                    () -> pool.map(x -> x + 1, IntStream.range(0, 300).boxed().toList(), 1));
            List<byte[]> blocks = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                byte[] block = new byte[64 * 1024];
                block[0] = (byte) i;
                blocks.add(block);
            }
            List<Integer> lengths = within(120, "a map of 300 blocks of 64 KiB",
                    () -> pool.map(block -> block.length + block[0], blocks, 1));
            for (int i = 0; i < 300; i++) {
                assertEquals(64 * 1024 + (byte) i, (int) lengths.get(i));
            }
            List<Integer> many = IntStream.range(0, 200_000).boxed().toList();
            for (int round = 0; round < 10; round++) {
                List<Integer> plusOne = within(120, "a map of 200,000 short tasks in default chunks",
                        () -> pool.map(x -> x + 1, many));
                assertEquals(200_000, (int) plusOne.get(199_999));
            }
        }
    }

    /** map keeps input order. */
    @Test
    public void mapReturnsResultsInInputOrder() {
        within(60, "map", () -> {
            try (Pool pool = context.pool(2)) {
                assertEquals(squares(100), pool.map(PoolContract::square, range(100)));
            }
            return null;
        });
    }

    /** Explicit chunk sizes, one larger than the input, and an empty input. */
    @Test
    public void mapHonoursChunksizeAndEmptyInput() {
        within(60, "map with chunk sizes", () -> {
            try (Pool pool = context.pool(2)) {
                for (int chunksize : new int[] {1, 7, 1000}) {
                    assertEquals(squares(50), pool.map(PoolContract::square, range(50), chunksize));
                }
                assertEquals(List.of(), pool.map(PoolContract::square, List.<Integer>of()));
                assertThrows(IllegalArgumentException.class, () -> pool.map(PoolContract::square, range(3), 0));
            }
            return null;
        });
    }

    /** mapAsync completes its future with the ordered results. */
    @Test
    public void mapAsyncCompletesWithOrderedResults() {
        within(60, "mapAsync", () -> {
            try (Pool pool = context.pool(2)) {
                CompletableFuture<List<Integer>> future = pool.mapAsync(PoolContract::square, range(40));
                assertEquals(squares(40), future.get(TckTimeouts.millis(30), TimeUnit.MILLISECONDS));
            }
            return null;
        });
    }

    /** imap yields results in input order. */
    @Test
    public void imapYieldsResultsInInputOrder() {
        within(60, "imap", () -> {
            try (Pool pool = context.pool(2); ResultIterator<Integer> it = pool.imap(PoolContract::square, range(30),
                    4)) {
                List<Integer> results = new ArrayList<>();
                it.forEachRemaining(results::add);
                assertEquals(squares(30), results);
            }
            return null;
        });
    }

    /**
     * imap pulls only a bounded window of its input ahead of the consumer: three results from a million items, then
     * close, must not have drained the input.
     */
    @Test
    public void imapReadsItsInputLazily() {
        within(60, "lazy imap", () -> {
            AtomicInteger pulled = new AtomicInteger();
            int size = 1_000_000;
            Iterable<Integer> million = () -> new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return pulled.get() < size;
                }

                @Override
                public Integer next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return pulled.getAndIncrement();
                }
            };
            try (Pool pool = context.pool(2)) {
                try (ResultIterator<Integer> it = pool.imap(PoolContract::square, million)) {
                    assertEquals(0, it.next());
                    assertEquals(1, it.next());
                    assertEquals(4, it.next());
                }
                int afterClose = pulled.get();
                assertTrue(afterClose < 1_000, "imap pulled " + afterClose + " of " + size + " items for 3 results");
                // Closing withdraws the rest: nothing reads the input any more.
                assertEquals(squares(3), pool.map(PoolContract::square, range(3)));
                assertEquals(afterClose, pulled.get(), "the input was read after the iterator was closed");
            }
            return null;
        });
    }

    /** imapUnordered yields every result exactly once. */
    @Test
    public void imapUnorderedYieldsEveryResult() {
        within(60, "imapUnordered", () -> {
            try (Pool pool = context.pool(2);
                    ResultIterator<Integer> it = pool.imapUnordered(PoolContract::square, range(25), 3)) {
                List<Integer> results = new ArrayList<>();
                it.forEachRemaining(results::add);
                assertEquals(25, results.size());
                assertEquals(new HashSet<>(squares(25)), new HashSet<>(results));
            }
            return null;
        });
    }

    /** starmap spreads Args2 and Args3 over the task's parameters. */
    @Test
    public void starmapSpreadsArguments() {
        within(60, "starmap", () -> {
            try (Pool pool = context.pool(2)) {
                List<Args2<Integer, String>> pairs = List.of(Args2.of(2, "a"), Args2.of(3, "b"));
                assertEquals(List.of("aa", "bbb"), pool.starmap((Integer n, String s) -> s.repeat(n), pairs));
                List<Args3<Integer, Integer, Integer>> triples = List.of(Args3.of(1, 2, 3), Args3.of(4, 5, 6));
                assertEquals(List.of(6, 15), pool.starmap3((Integer a, Integer b, Integer c) -> a + b + c, triples));
            }
            return null;
        });
    }

    /** submit, applyAsync and apply run single tasks. */
    @Test
    public void submitApplyAsyncAndApplyRunSingleTasks() {
        within(60, "submit/apply", () -> {
            try (Pool pool = context.pool(2)) {
                assertEquals("called", pool.submit(() -> "called").get(TckTimeouts.millis(30), TimeUnit.MILLISECONDS));
                assertEquals(49, pool.applyAsync(PoolContract::square, 7)
                        .get(TckTimeouts.millis(30), TimeUnit.MILLISECONDS));
                assertEquals(64, pool.apply(PoolContract::square, 8));
            }
            return null;
        });
    }

    /** A future's callback may use the pool itself: callbacks never run on a transport's thread. */
    @Test
    public void callbackThatUsesThePoolDoesNotDeadlock() {
        within(60, "a callback that maps", () -> {
            try (Pool pool = context.pool(1)) {
                CompletableFuture<List<Integer>> nested = pool.applyAsync(PoolContract::square, 2)
                        .thenApply(four -> pool.map(PoolContract::square, range(four), 1));
                assertEquals(squares(4), nested.get(TckTimeouts.millis(30), TimeUnit.MILLISECONDS));
            }
            return null;
        });
    }

    /**
     * The initializer runs once in each worker, before its tasks: every worker that ran a task has the static field
     * it set, and a counter it increments equals the number of workers once a map has touched all of them.
     */
    @Test
    public void initializerRunsOnceInEachWorker() {
        within(60, "initializer", () -> {
            SharedInt runs = context.sharedInt(0);
            try (Pool pool = context.poolBuilder().workers(2).initializer(() -> {
                initializedBy = "init";
                runs.incrementAndGet();
            }).build()) {
                Set<String> seen = new HashSet<>();
                // Slow tasks, one per chunk, until both workers have taken one (the first ready may start alone).
                for (int round = 0; round < 50 && pids(seen).size() < 2; round++) {
                    seen.addAll(pool.map(PoolContract::slowInitializedAndPid, range(8), 1));
                }
                assertEquals(2, pids(seen).size(), "tasks ran in: " + seen);
                for (String entry : seen) {
                    assertTrue(entry.startsWith("init@"), "a task ran before its worker's initializer: " + entry);
                }
                assertEquals(2, runs.get(), "initializer runs after a map that touched both workers");
                pool.map(PoolContract::initializedAndPid, range(10), 1);
                assertEquals(2, runs.get(), "the initializer ran again in a worker that already ran it");
            }
            return null;
        });
    }

    private static Set<String> pids(Set<String> initializedAndPids) {
        return initializedAndPids.stream().map(entry -> entry.substring(entry.indexOf('@') + 1))
                .collect(Collectors.toSet());
    }

    /** maxTasksPerChild=1 replaces the worker after every chunk. */
    @Test
    public void maxTasksPerChildReplacesWorkers() {
        within(90, "maxTasksPerChild", () -> {
            try (Pool pool = context.poolBuilder().workers(2).maxTasksPerChild(1).build()) {
                List<Long> pids = pool.map(PoolContract::pid, range(6), 1);
                assertEquals(6, new HashSet<>(pids).size(), "pids: " + pids);
            }
            return null;
        });
    }

    /**
     * A pool that asks for remote workers from a transport without them (or not configured for them) fails at
     * {@code build()} with a message that names the transport and why, instead of waiting for workers that can
     * never come.
     */
    @Test
    public void remoteWorkersATransportCannotTakeAreRefusedAtBuild() {
        MultiprocException error = assertThrows(MultiprocException.class,
                () -> context.poolBuilder().workers(1).remoteWorkers(1).build().close(),
                "a pool with a remote worker on a context whose transport takes none");
        assertTrue(error.getMessage().contains("transport '" + transportName() + "' cannot take them: "),
                error.getMessage());
    }

    /**
     * A pool keeps the options it was built with: changing its builder afterwards (another initializer, more
     * workers, another name) changes nothing of the running pool, also for the workers that replace retired ones.
     */
    @Test
    public void aPoolKeepsTheOptionsItWasBuiltWith() {
        within(90, "a builder changed after build", () -> {
            Pool.Builder builder = context.poolBuilder().workers(1).maxTasksPerChild(1).name("built")
                    .initializer(() -> initializedBy = "first");
            try (Pool pool = builder.build()) {
                builder.workers(3).name("changed").initializer(() -> initializedBy = "second").maxTasksPerChild(0);
                assertEquals(1, pool.workers());
                List<String> seen = pool.map(PoolContract::initializedAndPid, range(3), 1);
                for (String entry : seen) {
                    assertTrue(entry.startsWith("first@"), "a worker ran the initializer set after build: " + seen);
                }
                assertEquals(3, pids(new HashSet<>(seen)).size(), "maxTasksPerChild(1) as built: " + seen);
                assertTrue(pool.toString().contains("built"), pool.toString());
            }
            return null;
        });
    }

    /** Without a limit, a pool of two runs everything in at most two processes. */
    @Test
    public void workersAreReusedAndCountIsHonoured() {
        within(60, "worker reuse", () -> {
            try (Pool pool = context.pool(2)) {
                assertEquals(2, pool.workers());
                Set<Long> pids = new HashSet<>(pool.map(PoolContract::pid, range(40), 1));
                assertTrue(pids.size() <= 2, "pids: " + pids);
                assertTrue(!pids.contains(ProcessHandle.current().pid()), "tasks must not run in the parent");
            }
            return null;
        });
    }

    /** The default worker count is the number of processors. */
    @Test
    public void workerCountDefaultsToAvailableProcessors() {
        within(60, "default pool", () -> {
            try (Pool pool = context.pool()) {
                assertEquals(Runtime.getRuntime().availableProcessors(), pool.workers());
                assertEquals(squares(4), pool.map(PoolContract::square, range(4)));
            }
            return null;
        });
    }

    /** close() finishes submitted work, then the workers exit. */
    @Test
    public void closeFinishesSubmittedWorkThenTerminates() {
        within(60, "close", () -> {
            Pool pool = context.pool(2);
            List<CompletableFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                futures.add(pool.applyAsync(PoolContract::sleepThenReturn, 50 + i));
            }
            pool.close();
            assertTrue(pool.isTerminated());
            assertEquals(List.of(50, 51, 52, 53, 54, 55),
                    futures.stream().map(CompletableFuture::join).collect(Collectors.toList()));
            return null;
        });
    }

    /** After shutdown() the pool refuses new work. */
    @Test
    public void shutdownRefusesNewWork() {
        within(60, "shutdown", () -> {
            Pool pool = context.pool(1);
            pool.shutdown();
            assertThrows(MultiprocException.class, () -> pool.map(PoolContract::square, range(3)));
            assertTrue(pool.awaitTermination(TckTimeouts.millis(30), TimeUnit.MILLISECONDS));
            return null;
        });
    }

    /** terminate() fails pending work promptly and stops the workers. */
    @Test
    public void terminateFailsPendingWorkAndStopsWorkers() {
        within(60, "terminate", () -> {
            Pool pool = context.pool(1);
            CompletableFuture<Integer> running = pool.applyAsync(PoolContract::sleepThenReturn, 60_000);
            CompletableFuture<Integer> queued = pool.applyAsync(PoolContract::square, 3);
            pool.terminate();
            long prompt = TckTimeouts.seconds(10).toMillis();
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> running.get(prompt, TimeUnit.MILLISECONDS));
            assertInstanceOf(MultiprocException.class, failure.getCause());
            assertThrows(ExecutionException.class, () -> queued.get(prompt, TimeUnit.MILLISECONDS));
            assertTrue(pool.awaitTermination(prompt, TimeUnit.MILLISECONDS));
            assertTrue(pool.isTerminated());
            return null;
        });
    }
}
