package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.CallableTask;
import dev.multiproc.Pool;
import dev.multiproc.ResultIterator;
import dev.multiproc.SharedEvent;
import dev.multiproc.SharedInt;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stopping running pool tasks: {@code cancel(true)} on a call's future (and on a future of the pool's
 * {@code ExecutorService}), closing an imap's {@code ResultIterator}, and interrupting a thread blocked in
 * {@code map} interrupt the tasks that workers run, and kill and replace a worker whose task does not return within
 * the grace period; {@code cancel(false)} lets a running task finish.
 */
public abstract class CancellationContract extends TransportContract {

    /** For a transport's subclass, which JUnit instantiates. */
    protected CancellationContract() {
    }

    /** Counts itself started, then sleeps long ({@link TimeoutContract#longSleepMillis()}) unless interrupted. */
    static int startsThenSleeps(SharedInt started, long millis, int x) throws InterruptedException {
        started.incrementAndGet();
        Thread.sleep(millis);
        return x;
    }

    /** Says it started, then runs for a minute whatever happens: it swallows interrupts. */
    static int startsThenIgnoresInterrupts(SharedEvent started, int x) {
        started.set();
        TimeoutContract.runForAMinuteIgnoringInterrupts();
        return x;
    }

    static int startsThenFinishes(SharedEvent started, SharedInt finished, int x) throws InterruptedException {
        started.set();
        Thread.sleep(500);
        finished.incrementAndGet();
        return x;
    }

    private Pool pool(int workers, Duration grace) {
        return context.poolBuilder().workers(workers).interruptGrace(grace).build();
    }

    private static void awaitEvent(SharedEvent event, String what) {
        assertTrue(within(30, what, () -> event.await(TckTimeouts.millis(30), TimeUnit.MILLISECONDS)), what);
    }

    private static void awaitStarted(SharedInt started, int count) {
        await(30, count + " tasks running", () -> started.get() >= count);
    }

    /** A task that stops when interrupted stops, and its worker takes the next task at once. */
    @Test
    public void cancelWithInterruptionStopsARunningTaskAndKeepsItsWorker() {
        SharedInt started = context.sharedInt(0);
        long sleep = TimeoutContract.longSleepMillis();
        try (Pool pool = pool(1, Duration.ofMinutes(5))) {
            long before = within(60, "a first task", () -> pool.apply(TimeoutContract::pid, 0));
            CompletableFuture<Integer> call = pool.applyAsync(x -> startsThenSleeps(started, sleep, x), 1);
            awaitStarted(started, 1);
            assertTrue(call.cancel(true));
            assertThrows(CancellationException.class, call::join);
            assertEquals(before, within(15, "a task after the cancel", () -> pool.apply(TimeoutContract::pid, 0)),
                    "the same worker, freed long before its task's sleep or any grace period ended");
        }
    }

    /**
     * {@code orTimeout} on a call's future is a deadline for the whole call: when it passes, the future fails with a
     * {@link java.util.concurrent.TimeoutException} and the call's running task is stopped as a cancelled one is
     * (interrupted, its worker kept).
     */
    @Test
    public void aCallPastItsOrTimeoutDeadlineIsStoppedAndKeepsItsWorker() {
        SharedInt started = context.sharedInt(0);
        long sleep = TimeoutContract.longSleepMillis();
        try (Pool pool = pool(1, Duration.ofMinutes(5))) {
            long before = within(60, "a first task", () -> pool.apply(TimeoutContract::pid, 0));
            CompletableFuture<List<Integer>> call = pool.mapAsync(x -> startsThenSleeps(started, sleep, x),
                    List.of(1), 1);
            awaitStarted(started, 1);
            call.orTimeout(100, TimeUnit.MILLISECONDS);
            ExecutionException late = assertThrows(ExecutionException.class,
                    () -> call.get(TckTimeouts.millis(15), TimeUnit.MILLISECONDS));
            assertInstanceOf(java.util.concurrent.TimeoutException.class, late.getCause());
            assertEquals(before, within(15, "a task after the deadline", () -> pool.apply(TimeoutContract::pid,
                    0)), "the same worker, freed long before its task's sleep or any grace period ended");
        }
    }

    /** A task that swallows its interrupt has its worker killed after the grace period, and replaced. */
    @Test
    public void cancelWithInterruptionKillsAndReplacesAWorkerWhoseTaskIgnoresIt() {
        SharedEvent started = context.event();
        try (Pool pool = pool(1, Duration.ofMillis(300))) {
            long before = within(60, "a first task", () -> pool.apply(TimeoutContract::pid, 0));
            CompletableFuture<Integer> call = pool.applyAsync(x -> startsThenIgnoresInterrupts(started, x), 1);
            awaitEvent(started, "the stuck task's start");
            assertTrue(call.cancel(true));
            long after = within(60, "a task after the kill", () -> pool.apply(TimeoutContract::pid, 0));
            assertNotEquals(before, after, "the stuck worker was replaced");
            await(30, "the stuck worker's exit", () -> ProcessHandle.of(before).map(p -> !p.isAlive()).orElse(true));
        }
    }

    /** {@code cancel(false)} cancels the future and lets the running task finish. */
    @Test
    public void cancelWithoutInterruptionLetsTheRunningTaskFinish() {
        SharedEvent started = context.event();
        SharedInt finished = context.sharedInt(0);
        try (Pool pool = pool(1, Duration.ofMillis(100))) {
            long before = within(60, "a first task", () -> pool.apply(TimeoutContract::pid, 0));
            CompletableFuture<Integer> call = pool.applyAsync(x -> startsThenFinishes(started, finished, x), 1);
            awaitEvent(started, "the task's start");
            assertTrue(call.cancel(false));
            await(30, "the cancelled task's end", () -> finished.get() == 1);
            assertEquals(before, within(30, "a task after it", () -> pool.apply(TimeoutContract::pid, 0)));
        }
    }

    /** Closing an imap stops the chunks its workers run: both workers are free at once. */
    @Test
    public void closingAnImapStopsTheTasksItsWorkersRun() {
        SharedInt started = context.sharedInt(0);
        long sleep = TimeoutContract.longSleepMillis();
        try (Pool pool = pool(2, Duration.ofMinutes(5))) {
            within(60, "warming the pool", () -> pool.map(x -> x, List.of(1, 2), 1));
            ResultIterator<Integer> results = pool.imap(x -> startsThenSleeps(started, sleep, x), List.of(1, 2), 1);
            awaitStarted(started, 2);
            results.close();
            assertEquals(List.of(2, 3, 4, 5), within(15, "a map after the close",
                    () -> pool.map(x -> x + 1, List.of(1, 2, 3, 4), 1)));
        }
    }

    /** An interrupt of a thread blocked in {@code map} cancels the map and stops its running chunks. */
    @Test
    public void interruptingACallerBlockedInMapStopsItsTasks() throws Exception {
        SharedInt started = context.sharedInt(0);
        long sleep = TimeoutContract.longSleepMillis();
        try (Pool pool = pool(2, Duration.ofMinutes(5))) {
            within(60, "warming the pool", () -> pool.map(x -> x, List.of(1, 2), 1));
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread caller = new Thread(() -> {
                try {
                    pool.map(x -> startsThenSleeps(started, sleep, x), List.of(1, 2), 1);
                    outcome.complete(null);
                } catch (RuntimeException e) {
                    outcome.complete(e);
                }
            }, "tck-map-caller");
            caller.start();
            awaitStarted(started, 2);
            caller.interrupt();
            assertInstanceOf(CancellationException.class, within(15, "the interrupted map", outcome::get));
            assertEquals(List.of(2, 3, 4, 5), within(15, "a map after the interrupt",
                    () -> pool.map(x -> x + 1, List.of(1, 2, 3, 4), 1)));
        }
    }

    /** Sleeps long; counts the interrupt that ends the sleep early, then lets it end the task. */
    static int countsItsInterrupt(SharedInt started, SharedInt interrupted, long millis, int x)
            throws InterruptedException {
        started.incrementAndGet();
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            interrupted.incrementAndGet(); // what a task's finally block would do: its clean-up runs
            throw e;
        }
        return x;
    }

    /**
     * {@code terminate()} interrupts the tasks that run, so that their clean-up runs, before it stops their workers;
     * a worker whose task does not return is stopped after the grace period; the pool terminates either way.
     */
    @Test
    public void terminateInterruptsRunningTasksBeforeStoppingTheirWorkers() throws Exception {
        SharedInt started = context.sharedInt(0);
        long sleep = TimeoutContract.longSleepMillis();
        SharedInt interrupted = context.sharedInt(0);
        SharedEvent stuckStarted = context.event();
        Pool pool = pool(2, Duration.ofMillis(500));
        try {
            within(60, "warming the pool", () -> pool.map(x -> x, List.of(1, 2), 1));
            CompletableFuture<Integer> polite = pool.applyAsync(
                    x -> countsItsInterrupt(started, interrupted, sleep, x), 1);
            awaitStarted(started, 1);
            CompletableFuture<Integer> stuck = pool.applyAsync(x -> startsThenIgnoresInterrupts(stuckStarted, x), 2);
            awaitEvent(stuckStarted, "the stuck task's start");
            pool.terminate();
            assertTrue(within(30, "the pool's termination",
                    () -> pool.awaitTermination(TckTimeouts.millis(20), TimeUnit.MILLISECONDS)),
                    "a worker whose task ignores its interrupt is stopped after the grace period");
            assertEquals(1, interrupted.get(), "the running task was interrupted before its worker went");
            assertThrows(Exception.class, polite::join);
            assertThrows(Exception.class, stuck::join);
        } finally {
            pool.close();
        }
    }

    /** The pool's {@code ExecutorService}: {@code cancel(true)} of a running task stops it, as for a call's future. */
    @Test
    public void executorCancelWithInterruptionStopsARunningTask() throws Exception {
        SharedInt started = context.sharedInt(0);
        long sleep = TimeoutContract.longSleepMillis();
        try (Pool pool = pool(1, Duration.ofMinutes(5))) {
            long before = within(60, "a first task", () -> pool.apply(TimeoutContract::pid, 0));
            Future<Integer> task = pool.asExecutorService().submit((CallableTask<Integer>) () -> startsThenSleeps(
                    started, sleep, 1));
            awaitStarted(started, 1);
            assertTrue(task.cancel(true));
            assertEquals(before, within(15, "a task after the cancel", () -> pool.apply(TimeoutContract::pid, 0)));
        }
    }
}
