package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.CallableTask;
import dev.multiproc.MultiprocException;
import dev.multiproc.Pool;
import dev.multiproc.SerializationException;
import dev.multiproc.SharedEvent;
import dev.multiproc.SharedInt;
import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * {@link Pool#asExecutorService()}: tasks run in the workers, results and failures arrive through futures,
 * non-serializable tasks are rejected, and shutdown, shutdownNow, awaitTermination, cancel, invokeAll and invokeAny
 * keep the JDK's {@code ExecutorService} contract as the pool documents it.
 */
public abstract class PoolExecutorContract extends TransportContract {
    /** For a transport's subclass, which JUnit instantiates. */
    protected PoolExecutorContract() {
    }


    static long pid() {
        return ProcessHandle.current().pid();
    }

    static Integer refuse() throws IOException {
        throw new IOException("disk on fire");
    }

    static String holdUntil(SharedEvent started, SharedEvent release) throws InterruptedException {
        started.set();
        release.await();
        return "held";
    }

    /** A start barrier inside the tasks: each waits until all have arrived, so they must run at the same time. */
    static long meet(SharedInt arrived, SharedEvent allArrived, int parties, long timeoutMillis) throws Exception {
        if (arrived.incrementAndGet() == parties) {
            allArrived.set();
        }
        if (!allArrived.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new TimeoutException(arrived.get() + " of " + parties + " tasks were running at once");
        }
        return pid();
    }

    private static long millis(double seconds) {
        return TckTimeouts.seconds(seconds).toMillis();
    }

    /**
     * Callables, CallableTasks, Runnables with a result and executed Runnables all run in a worker process, not in
     * the parent, and their results arrive through their futures; invokeAll returns every future done, in order.
     */
    @Test
    public void tasksRunInWorkerProcessesAndResultsArriveThroughFutures() {
        within(60, "tasks through the ExecutorService view", () -> {
            long parent = ProcessHandle.current().pid();
            SharedInt ran = context.sharedInt(0);
            SharedEvent executed = context.event();
            try (Pool pool = context.pool(2)) {
                ExecutorService executor = pool.asExecutorService();
                assertSame(executor, pool.asExecutorService());

                long worker = executor.submit((CallableTask<Long>) PoolExecutorContract::pid)
                        .get(millis(30), TimeUnit.MILLISECONDS);
                assertNotEquals(parent, worker, "the task ran in the parent");
                assertEquals(42, executor.submit((Callable<Integer> & Serializable) () -> 6 * 7)
                        .get(millis(30), TimeUnit.MILLISECONDS));
                assertEquals("done", executor.submit((Runnable & Serializable) ran::incrementAndGet, "done")
                        .get(millis(30), TimeUnit.MILLISECONDS));
                assertEquals(1, ran.get());
                executor.execute((Runnable & Serializable) executed::set);
                assertTrue(executed.await(millis(30), TimeUnit.MILLISECONDS), "an executed Runnable never ran");

                CallableTask<Long> pid = PoolExecutorContract::pid;
                List<Callable<Long>> pids = List.of(pid, pid, pid);
                List<Future<Long>> futures = executor.invokeAll(pids);
                assertEquals(3, futures.size());
                for (Future<Long> future : futures) {
                    assertTrue(future.isDone(), "invokeAll returned before a task was done");
                    assertNotEquals(parent, future.get());
                }
            }
            return null;
        });
    }

    /** Two tasks that each wait until the other has started finish: they ran at once, in two worker processes. */
    @Test
    public void tasksRunAtOnceInDifferentWorkers() {
        within(60, "two tasks meeting in two workers", () -> {
            SharedInt arrived = context.sharedInt(0);
            SharedEvent allArrived = context.event();
            long timeout = millis(20);
            CallableTask<Long> meeting = () -> meet(arrived, allArrived, 2, timeout);
            try (Pool pool = context.pool(2)) {
                List<Future<Long>> futures = pool.asExecutorService().invokeAll(List.of(meeting, meeting));
                Set<Long> pids = new HashSet<>();
                for (Future<Long> future : futures) {
                    pids.add(future.get());
                }
                assertEquals(2, pids.size(), "both tasks ran in one process: " + pids);
                assertFalse(pids.contains(ProcessHandle.current().pid()), "a task ran in the parent");
            }
            return null;
        });
    }

    /**
     * A task that throws fails its future with an ExecutionException whose cause is the task's own exception, with
     * its remote stack trace, and whose message names the worker; the pool goes on working.
     */
    @Test
    public void taskFailureArrivesAsExecutionExceptionWithTheRemoteCause() {
        within(60, "a failing task", () -> {
            try (Pool pool = context.pool(1)) {
                ExecutorService executor = pool.asExecutorService();
                Future<Integer> failing = executor.submit((CallableTask<Integer>) PoolExecutorContract::refuse);
                ExecutionException failure = assertThrows(ExecutionException.class,
                        () -> failing.get(millis(30), TimeUnit.MILLISECONDS));
                assertInstanceOf(IOException.class, failure.getCause());
                assertEquals("disk on fire", failure.getCause().getMessage());
                assertTrue(Arrays.stream(failure.getCause().getStackTrace())
                        .anyMatch(frame -> frame.getMethodName().equals("refuse")),
                        "the cause lacks the task's remote frames");
                assertTrue(failure.getMessage().contains("worker"), "message names no worker: " + failure);
                assertEquals(42, executor.submit((CallableTask<Integer>) () -> 42)
                        .get(millis(30), TimeUnit.MILLISECONDS), "the pool stopped working after a failure");
            }
            return null;
        });
    }

    /**
     * Tasks that cannot be serialized are rejected in the caller's thread with a RejectedExecutionException that
     * says why: a plain lambda Callable or Runnable, and a serializable lambda that captures what is not.
     */
    @Test
    public void nonSerializableTasksAreRejected() {
        within(60, "non-serializable tasks", () -> {
            try (Pool pool = context.pool(1)) {
                ExecutorService executor = pool.asExecutorService();
                Callable<Integer> plainCallable = () -> 1;
                RejectedExecutionException callable = assertThrows(RejectedExecutionException.class,
                        () -> executor.submit(plainCallable));
                assertTrue(callable.getMessage().contains("must be serializable"), callable.getMessage());
                Runnable plainRunnable = () -> { };
                assertThrows(RejectedExecutionException.class, () -> executor.execute(plainRunnable));

                Object notSerializable = new Object();
                Runnable capturing = (Runnable & Serializable) () -> Objects.requireNonNull(notSerializable);
                RejectedExecutionException capture = assertThrows(RejectedExecutionException.class,
                        () -> executor.execute(capturing));
                assertInstanceOf(SerializationException.class, capture.getCause());
                assertTrue(capture.getMessage().contains("java.lang.Object"), capture.getMessage());

                List<Callable<Integer>> mixed = List.of((CallableTask<Integer>) () -> 2, plainCallable);
                assertThrows(RejectedExecutionException.class, () -> executor.invokeAll(mixed));
                assertEquals(3, executor.submit((CallableTask<Integer>) () -> 3)
                        .get(millis(30), TimeUnit.MILLISECONDS));
            }
            return null;
        });
    }

    /**
     * After shutdown() the view rejects new tasks, the running and queued ones still finish, and awaitTermination
     * is false until they have, then true.
     */
    @Test
    public void shutdownRejectsNewTasksAndLetsSubmittedOnesFinish() {
        within(60, "shutdown of the view", () -> {
            SharedEvent started = context.event();
            SharedEvent release = context.event();
            Pool pool = context.pool(1);
            ExecutorService executor = pool.asExecutorService();
            Future<String> running = executor.submit((CallableTask<String>) () -> holdUntil(started, release));
            Future<Long> queued = executor.submit((CallableTask<Long>) PoolExecutorContract::pid);
            assertTrue(started.await(millis(20), TimeUnit.MILLISECONDS), "the first task never started");

            executor.shutdown();
            assertTrue(executor.isShutdown());
            assertThrows(RejectedExecutionException.class,
                    () -> executor.submit((CallableTask<Long>) PoolExecutorContract::pid));
            assertThrows(RejectedExecutionException.class, () -> executor.execute((Runnable & Serializable) () -> { }));
            assertFalse(executor.awaitTermination(100, TimeUnit.MILLISECONDS), "terminated with a task running");
            assertFalse(executor.isTerminated());
            assertFalse(running.isDone());
            assertFalse(queued.isDone());

            release.set();
            assertTrue(executor.awaitTermination(millis(30), TimeUnit.MILLISECONDS));
            assertTrue(executor.isTerminated());
            assertTrue(pool.isTerminated(), "the view terminated but not its pool");
            assertEquals("held", running.get(0, TimeUnit.MILLISECONDS));
            assertNotEquals(ProcessHandle.current().pid(), (long) queued.get(0, TimeUnit.MILLISECONDS));
            return null;
        });
    }

    /** The view's life is the pool's: shutting the pool down shuts the view down, and its termination is the pool's. */
    @Test
    public void shuttingDownThePoolShutsDownItsExecutorService() {
        within(60, "shutdown of the pool", () -> {
            Pool pool = context.pool(1);
            ExecutorService executor = pool.asExecutorService();
            assertFalse(executor.isShutdown());
            pool.shutdown();
            assertTrue(executor.isShutdown());
            assertThrows(RejectedExecutionException.class, () -> executor.submit((CallableTask<Integer>) () -> 1));
            assertTrue(executor.awaitTermination(millis(30), TimeUnit.MILLISECONDS));
            assertTrue(executor.isTerminated());
            return null;
        });
    }

    /**
     * shutdownNow() returns the tasks no worker had received (the Runnable given to execute, the Future returned by
     * submit), in order, with their futures cancelled and without running them; it stops the running task, whose
     * future fails; and the view terminates promptly.
     */
    @Test
    public void shutdownNowReturnsTheTasksNotStartedAndStopsTheRunningOne() {
        within(60, "shutdownNow", () -> {
            SharedEvent started = context.event();
            SharedEvent never = context.event();
            SharedInt ran = context.sharedInt(0);
            Pool pool = context.pool(1);
            ExecutorService executor = pool.asExecutorService();
            Future<String> running = executor.submit((CallableTask<String>) () -> holdUntil(started, never));
            Future<Integer> submitted = executor.submit((CallableTask<Integer>) ran::incrementAndGet);
            Runnable executed = (Runnable & Serializable) ran::incrementAndGet;
            executor.execute(executed);
            Future<?> submittedRunnable = executor.submit((Runnable & Serializable) ran::incrementAndGet);
            assertTrue(started.await(millis(20), TimeUnit.MILLISECONDS), "the first task never started");

            List<Runnable> notStarted = executor.shutdownNow();
            assertEquals(List.of(submitted, executed, submittedRunnable), notStarted);
            assertTrue(submitted.isCancelled());
            assertTrue(submittedRunnable.isCancelled());
            assertThrows(CancellationException.class, submitted::get);
            assertTrue(executor.isShutdown());

            long prompt = millis(10);
            ExecutionException stopped = assertThrows(ExecutionException.class,
                    () -> running.get(prompt, TimeUnit.MILLISECONDS), "the running task was not stopped");
            assertInstanceOf(MultiprocException.class, stopped.getCause());
            assertTrue(executor.awaitTermination(prompt, TimeUnit.MILLISECONDS));
            assertTrue(executor.isTerminated());
            assertEquals(0, ran.get(), "a task returned by shutdownNow ran");
            assertThrows(RejectedExecutionException.class, () -> executor.execute(executed));
            return null;
        });
    }

    /** Cancelling a task that no worker has received withdraws it: it never runs, and the tasks after it do. */
    @Test
    public void cancelWithdrawsATaskNoWorkerHasReceived() {
        within(60, "cancel of a queued task", () -> {
            SharedEvent started = context.event();
            SharedEvent release = context.event();
            SharedInt ran = context.sharedInt(0);
            try (Pool pool = context.pool(1)) {
                ExecutorService executor = pool.asExecutorService();
                Future<String> running = executor.submit((CallableTask<String>) () -> holdUntil(started, release));
                Future<Integer> queued = executor.submit((CallableTask<Integer>) ran::incrementAndGet);
                assertTrue(started.await(millis(20), TimeUnit.MILLISECONDS), "the first task never started");
                assertTrue(queued.cancel(false));
                assertTrue(queued.isCancelled());
                assertThrows(CancellationException.class, queued::get);
                release.set();
                assertEquals("held", running.get(millis(30), TimeUnit.MILLISECONDS));
                // One worker runs tasks in order: had the cancelled one run, this one would see 2.
                assertEquals(1, executor.submit((CallableTask<Integer>) ran::incrementAndGet)
                        .get(millis(30), TimeUnit.MILLISECONDS), "the cancelled task ran");
            }
            return null;
        });
    }

    /**
     * invokeAny returns the result of a task that succeeded, throws the ExecutionException of a failed one when all
     * fail, and a TimeoutException when none is done in time.
     */
    @Test
    public void invokeAnyReturnsAResultOfATaskThatSucceeded() {
        within(60, "invokeAny", () -> {
            SharedEvent started = context.event();
            SharedEvent release = context.event();
            try (Pool pool = context.pool(2)) {
                ExecutorService executor = pool.asExecutorService();
                CallableTask<Integer> refusing = PoolExecutorContract::refuse;
                CallableTask<Integer> seven = () -> 7;
                assertEquals(7, executor.invokeAny(List.of(refusing, seven)));
                ExecutionException none = assertThrows(ExecutionException.class,
                        () -> executor.invokeAny(List.of(refusing, refusing)));
                assertInstanceOf(IOException.class, none.getCause());
                assertThrows(IllegalArgumentException.class, () -> executor.invokeAny(List.<Callable<Integer>>of()));

                CallableTask<String> holding = () -> holdUntil(started, release);
                assertThrows(TimeoutException.class,
                        () -> executor.invokeAny(List.of(holding), 200, TimeUnit.MILLISECONDS));
                release.set(); // the worker finishes the task that invokeAny gave up on
            }
            return null;
        });
    }
}
