package dev.multiproc.internal.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.multiproc.Context;
import dev.multiproc.ContextOption;
import dev.multiproc.Pool;
import dev.multiproc.ResultIterator;
import dev.multiproc.Task;
import dev.multiproc.TaskTimeoutException;
import dev.multiproc.internal.embedded.EmbeddedChild;
import dev.multiproc.internal.embedded.EmbeddedTransport;
import dev.multiproc.internal.protocol.RunTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pool scheduler and its jobs against children the test plays ({@link EmbeddedTransport}): which chunk goes
 * where, what happens when a worker dies holding one, in what order results come out, how many chunks a worker is
 * given ahead. No JVM is started; every answer comes when the test gives it.
 */
@Timeout(120)
class PoolSchedulerEmbeddedTest {

    static int twice(int x) {
        return 2 * x;
    }

    /** What a test does with its pool while it plays the workers. */
    @FunctionalInterface
    private interface Play {
        void run(Pool pool) throws Exception;
    }

    /**
     * Plays, then closes the pool. If the play fails, the pool is terminated first: closing waits for the tasks the
     * workers hold, and embedded workers answer only when the test says so.
     */
    private static void play(Pool pool, Play play) throws Exception {
        try (pool) {
            try {
                play.run(pool);
            } catch (Exception | AssertionError e) {
                pool.terminate();
                throw e;
            }
        }
    }

    /**
     * Workers that die before they are ready are replaced after a back-off that doubles (0.1 s, then 0.2 s), never at
     * once; after the third the pool gives up: its calls fail naming the start failures, and no fourth is started.
     */
    @Test
    void workersThatDieBeforeTheyAreReadyAreReplacedAfterABackOffThenThePoolGivesUp() throws Exception {
        EmbeddedTransport embedded = new EmbeddedTransport();
        try (Context context = embedded.context()) {
            Pool pool = context.poolBuilder().workers(1).build(); // a local worker's start is not awaited
            CompletableFuture<Integer> applied = CompletableFuture.supplyAsync(
                    () -> pool.apply(PoolSchedulerEmbeddedTest::twice, 21));
            EmbeddedChild child = embedded.nextChild();
            List<Long> gapsMillis = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                child.crash(); // dies before it is ready: a start failure
                long died = System.nanoTime();
                child = embedded.nextChild();
                gapsMillis.add((System.nanoTime() - died) / 1_000_000);
            }
            child.crash();
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> applied.get(EmbeddedTransport.millis(20), TimeUnit.MILLISECONDS));
            assertTrue(failed.getCause().getMessage().contains("3 workers in a row"), failed.getCause().toString());
            assertTrue(gapsMillis.get(0) >= 100, "the second worker came " + gapsMillis.get(0) + " ms after the"
                    + " first died; the back-off is 100 ms");
            assertTrue(gapsMillis.get(1) >= 200, "the third worker came " + gapsMillis.get(1) + " ms after the"
                    + " second died; the back-off doubles to 200 ms");
            pool.close();
            assertNull(embedded.pollChild(), "a fourth worker after the pool gave up");
        }
    }

    @Test
    void aPoolClosedWhileAWorkerIsStillStartingKillsItInsteadOfWaitingForIt() throws Exception {
        EmbeddedTransport embedded = new EmbeddedTransport();
        try (Context context = embedded.context()) {
            EmbeddedTransport.StartingPool started = embedded.startPoolWithASecondWorkerStarting(context);
            Pool pool = started.pool();
            EmbeddedChild first = started.ready();
            EmbeddedChild starting = started.starting(); // its JVM, as far as the parent knows, is still starting
            CompletableFuture<Integer> applied = CompletableFuture.supplyAsync(
                    () -> pool.apply(PoolSchedulerEmbeddedTest::twice, 21));
            first.run(first.nextTask(), null);
            assertEquals(42, applied.get(EmbeddedTransport.millis(20), TimeUnit.MILLISECONDS));

            CompletableFuture<Void> closed = CompletableFuture.runAsync(pool::close);
            // the started worker is told to exit; the one still starting is killed, not awaited
            Process killed = starting.process().onExit().get(EmbeddedTransport.millis(20), TimeUnit.MILLISECONDS);
            assertEquals(128 + 9, killed.exitValue(), "SIGKILL");
            first.process().destroy(); // plays the started worker's exit after its Shutdown
            closed.get(EmbeddedTransport.millis(20), TimeUnit.MILLISECONDS);
        }
    }

    /** One worker, tasks with a 200 ms timeout. */
    private static EmbeddedTransport.StartedPool startWithTimeout(EmbeddedTransport embedded, Context context,
            Duration grace) throws Exception {
        return embedded.startPool(context.poolBuilder().workers(1).taskTimeout(Duration.ofMillis(200))
                .interruptGrace(grace), 1);
    }

    private static void assertTimedOut(CompletableFuture<?> call) {
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> call.get(EmbeddedTransport.millis(20), TimeUnit.MILLISECONDS));
        assertInstanceOf(TaskTimeoutException.class, failed.getCause());
    }

    @Test
    void aTaskPastItsDeadlineFailsIsInterruptedAndItsWorkerKilledAfterTheGracePeriod() throws Exception {
        EmbeddedTransport embedded = new EmbeddedTransport();
        try (Context context = embedded.context()) {
            EmbeddedTransport.StartedPool started = startWithTimeout(embedded, context, Duration.ofMillis(300));
            EmbeddedChild first = started.workers().get(0);
            play(started.pool(), pool -> {
                CompletableFuture<Integer> stuck = pool.applyAsync(PoolSchedulerEmbeddedTest::twice, 1);
                CompletableFuture<Integer> queued = pool.applyAsync(PoolSchedulerEmbeddedTest::twice, 2);
                RunTask task = first.nextTask(); // never answered
                assertTimedOut(stuck);
                assertEquals(task.getTaskId(), first.nextInterrupt(), "the worker is asked to stop that task");
                Process killed = first.process().onExit().get(EmbeddedTransport.millis(20), TimeUnit.MILLISECONDS);
                assertEquals(128 + 9, killed.exitValue(), "killed after the grace period: SIGKILL");

                EmbeddedChild replacement = embedded.nextChild();
                replacement.startAsWorker();
                RunTask next = replacement.nextTask();
                assertEquals(List.of(2), EmbeddedChild.arguments(next), "the task that waited runs on the replacement");
                replacement.run(next, null);
                assertEquals(4, queued.get(EmbeddedTransport.millis(20), TimeUnit.MILLISECONDS));
            });
        }
    }

    /**
     * The chunks queued behind a stopped one on its worker are taken back (the worker is told to skip them first,
     * before the stopped one is interrupted, so that it cannot start them) and sent again: a kill at the end of the
     * grace period can only ever stop the chunk that ran past its deadline.
     */
    @Test
    void theChunksQueuedBehindAStoppedOneAreSkippedThereAndSentAgain() throws Exception {
        EmbeddedTransport embedded = new EmbeddedTransport();
        try (Context context = embedded.contextBuilder().option(ContextOption.POOL_PREFETCH, 3).build()) {
            EmbeddedTransport.StartedPool started = embedded.startPool(context.poolBuilder().workers(1)
                    .taskTimeout(Duration.ofSeconds(1)).interruptGrace(Duration.ofMinutes(5)), 1);
            EmbeddedChild worker = started.workers().get(0);
            play(started.pool(), pool -> {
                CompletableFuture<Integer> stuck = null;
                CompletableFuture<Integer> queued = null;
                RunTask first = null;
                RunTask second = null;
                // Short chunks make the pool send a worker several ahead; on a busy machine the test's answers may
                // be too slow for that, so it tries a few times.
                for (int attempt = 0; attempt < 5 && second == null; attempt++) {
                    List<Integer> items = IntStream.range(0, 300).boxed().toList();
                    CompletableFuture<List<Integer>> warm = pool.mapAsync(PoolSchedulerEmbeddedTest::twice, items, 1);
                    Task<Object, Object> function = null;
                    for (int i = 0; i < items.size(); i++) {
                        function = worker.run(worker.nextTask(), function);
                    }
                    warm.get(EmbeddedTransport.millis(20), TimeUnit.MILLISECONDS);
                    stuck = pool.applyAsync(PoolSchedulerEmbeddedTest::twice, 1);
                    queued = pool.applyAsync(PoolSchedulerEmbeddedTest::twice, 2);
                    first = worker.nextTask();
                    second = worker.pollTask(100);
                    if (second == null) { // not sent ahead: answered in time, and tried again
                        worker.answer(first, List.of(2));
                        worker.answer(worker.nextTask(), List.of(4));
                        stuck.get(EmbeddedTransport.millis(20), TimeUnit.MILLISECONDS);
                        queued.get(EmbeddedTransport.millis(20), TimeUnit.MILLISECONDS);
                    }
                }
                assumeTrue(second != null, "the machine was too busy for the pool to send chunks ahead");
                assertEquals(List.of(2), EmbeddedChild.arguments(second), "sent ahead, queued behind the first");
                assertEquals(second.getTaskId(), worker.nextInterrupt(), "the queued chunk is skipped first");
                assertEquals(first.getTaskId(), worker.nextInterrupt(), "then the running one is interrupted");
                assertTimedOut(stuck);
                worker.answer(first, List.of(2)); // it returned after all, interrupted: discarded
                RunTask again = worker.nextTask();
                assertEquals(List.of(2), EmbeddedChild.arguments(again), "the skipped chunk, sent again");
                assertTrue(again.getTaskId() > second.getTaskId(), "under a new task id");
                worker.answer(again, List.of(4));
                assertEquals(4, queued.get(EmbeddedTransport.millis(20), TimeUnit.MILLISECONDS));
            });
        }
    }

    @Test
    void anInterruptedTaskThatReturnsWithinTheGracePeriodKeepsItsWorker() throws Exception {
        EmbeddedTransport embedded = new EmbeddedTransport();
        try (Context context = embedded.context()) {
            EmbeddedTransport.StartedPool started = startWithTimeout(embedded, context, Duration.ofMinutes(5));
            EmbeddedChild first = started.workers().get(0);
            play(started.pool(), pool -> {
                CompletableFuture<Integer> stuck = pool.applyAsync(PoolSchedulerEmbeddedTest::twice, 1);
                RunTask task = first.nextTask();
                assertEquals(task.getTaskId(), first.nextInterrupt());
                first.answer(task, List.of(2)); // it returned after all: too late, discarded
                assertTimedOut(stuck);
                CompletableFuture<Integer> after = pool.applyAsync(PoolSchedulerEmbeddedTest::twice, 3);
                first.run(first.nextTask(), null);
                assertEquals(6, after.get(EmbeddedTransport.millis(20), TimeUnit.MILLISECONDS), "the same worker");
                assertTrue(first.process().isAlive());
            });
        }
    }

    @Test
    void aChunkWhoseWorkerDiesRunsAgainOnItsReplacementWithTheSameItems() throws Exception {
        EmbeddedTransport embedded = new EmbeddedTransport();
        try (Context context = embedded.context()) {
            EmbeddedTransport.StartedPool started = embedded.startPool(context.poolBuilder().workers(1).retries(1), 1);
            EmbeddedChild first = started.workers().get(0);
            play(started.pool(), pool -> {
                CompletableFuture<List<Integer>> mapped = pool.mapAsync(PoolSchedulerEmbeddedTest::twice,
                        List.of(1, 2, 3), 3);
                RunTask task = first.nextTask();
                assertEquals(List.of(1, 2, 3), EmbeddedChild.arguments(task));
                first.crash();

                EmbeddedChild replacement = embedded.nextChild();
                replacement.startAsWorker();
                RunTask again = replacement.nextTask();
                assertEquals(List.of(1, 2, 3), EmbeddedChild.arguments(again), "the chunk the dead worker held");
                replacement.run(again, null);
                assertEquals(List.of(2, 4, 6), mapped.get(EmbeddedTransport.millis(20), TimeUnit.MILLISECONDS));
            });
        }
    }

    @Test
    void imapYieldsInInputOrderAndImapUnorderedInArrivalOrder() throws Exception {
        EmbeddedTransport embedded = new EmbeddedTransport();
        try (Context context = embedded.context()) {
            EmbeddedTransport.StartedPool started = embedded.startPool(context.poolBuilder().workers(2), 2);
            EmbeddedChild a = started.workers().get(0);
            EmbeddedChild b = started.workers().get(1);
            play(started.pool(), pool -> {
                for (boolean ordered : new boolean[] {true, false}) {
                    ResultIterator<Integer> results = ordered
                            ? pool.imap(PoolSchedulerEmbeddedTest::twice, List.of(1, 2), 1)
                            : pool.imapUnordered(PoolSchedulerEmbeddedTest::twice, List.of(1, 2), 1);
                    // one chunk each: while chunks are not known to be short, a worker holds one at a time
                    RunTask taskA = a.nextTask();
                    RunTask taskB = b.nextTask();
                    boolean aHasFirst = EmbeddedChild.arguments(taskA).equals(List.of(1));
                    RunTask firstItem = aHasFirst ? taskA : taskB;
                    RunTask secondItem = aHasFirst ? taskB : taskA;
                    EmbeddedChild holderOfFirst = aHasFirst ? a : b;
                    EmbeddedChild holderOfSecond = aHasFirst ? b : a;
                    holderOfSecond.answer(secondItem, List.of(4)); // the second item's result comes first
                    if (!ordered) {
                        assertEquals(4, results.next(), "imapUnordered: the first result to arrive");
                    }
                    holderOfFirst.answer(firstItem, List.of(2));
                    List<Integer> seen = new ArrayList<>();
                    results.forEachRemaining(seen::add);
                    assertEquals(ordered ? List.of(2, 4) : List.of(2), seen);
                }
            });
        }
    }

    /**
     * Once chunks come back quickly, a worker is sent up to the context's {@link ContextOption#POOL_PREFETCH} chunks
     * ahead, never more: here 3, with the test answering one chunk at a time.
     */
    @Test
    void aWorkerHoldsUpToTheContextsPrefetchOfShortChunks() throws Exception {
        EmbeddedTransport embedded = new EmbeddedTransport();
        try (Context context = embedded.contextBuilder().option(ContextOption.POOL_PREFETCH, 3).build()) {
            EmbeddedTransport.StartedPool started = embedded.startPool(context.poolBuilder().workers(1), 1);
            EmbeddedChild worker = started.workers().get(0);
            play(started.pool(), pool -> {
                List<Integer> items = IntStream.range(0, 300).boxed().toList();
                CompletableFuture<List<Integer>> mapped = pool.mapAsync(PoolSchedulerEmbeddedTest::twice, items, 1);
                List<RunTask> held = new ArrayList<>();
                int mostHeld = 0;
                int answered = 0;
                while (answered < items.size()) {
                    if (held.isEmpty()) {
                        held.add(worker.nextTask());
                    }
                    for (RunTask more = worker.pollTask(); more != null; more = worker.pollTask()) {
                        held.add(more);
                    }
                    mostHeld = Math.max(mostHeld, held.size());
                    assertTrue(held.size() <= 3, "the worker was sent " + held.size() + " chunks ahead; the"
                            + " context's prefetch is 3");
                    RunTask oldest = held.remove(0);
                    worker.answer(oldest, List.of(2 * (Integer) EmbeddedChild.arguments(oldest).get(0)));
                    answered++;
                }
                assertEquals(items.stream().map(x -> 2 * x).toList(),
                        mapped.get(EmbeddedTransport.millis(20), TimeUnit.MILLISECONDS));
                assertEquals(3, mostHeld, "chunks answered in microseconds were never prefetched");
                assertNull(worker.pollTask(), "a task beyond the map's");
            });
        }
    }

    /**
     * imap reads its input only as far as its window (two chunks per worker) ahead of the consumer: with every sent
     * chunk answered and nothing consumed, an endless input is read no further; each result consumed lets one more
     * chunk in.
     */
    @Test
    void imapReadsAnEndlessInputOnlyAsFarAsItsWindow() throws Exception {
        EmbeddedTransport embedded = new EmbeddedTransport();
        try (Context context = embedded.context()) {
            EmbeddedTransport.StartedPool started = embedded.startPool(context.poolBuilder().workers(1), 1);
            EmbeddedChild worker = started.workers().get(0);
            play(started.pool(), pool -> {
                AtomicInteger pulled = new AtomicInteger();
                Iterable<Integer> endless = () -> new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return true;
                    }

                    @Override
                    public Integer next() {
                        return pulled.getAndIncrement();
                    }
                };
                try (ResultIterator<Integer> results = pool.imap(PoolSchedulerEmbeddedTest::twice, endless, 1)) {
                    int answered = answerAll(worker);
                    assertEquals(2, answered, "chunks sent with none consumed; the window of one worker is 2");
                    assertEquals(2, pulled.get(), "items read from the input with none consumed");
                    for (int consumed = 0; consumed < 5; consumed++) {
                        assertEquals(2 * consumed, results.next());
                        assertEquals(1, answerAll(worker), "one result consumed lets exactly one chunk in");
                        assertEquals(consumed + 3, pulled.get());
                    }
                }
            });
        }
    }

    /** Answers every task the worker is sent until none comes for a while; returns how many it answered. */
    private static int answerAll(EmbeddedChild worker) throws Exception {
        int answered = 0;
        for (RunTask task = worker.pollTask(EmbeddedTransport.millis(1)); task != null;
                task = worker.pollTask(300)) {
            worker.answer(task, List.of(2 * (Integer) EmbeddedChild.arguments(task).get(0)));
            answered++;
        }
        return answered;
    }
}
