package dev.multiproc.internal.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.Pool;
import dev.multiproc.SharedLock;
import dev.multiproc.SharedLong;
import dev.multiproc.Task;
import dev.multiproc.TaskFailedException;
import dev.multiproc.internal.embedded.EmbeddedChild;
import dev.multiproc.internal.embedded.EmbeddedTransport;
import dev.multiproc.internal.protocol.RunTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * multiproc's Flight Recorder events appear in real recordings with the values they claim: the parent's (chunks
 * sent and answered, workers started and gone, hub calls, lock waits), taken with {@link Recording} in the test's
 * JVM around a pool on the embedded transport; and a worker's ({@code dev.multiproc.TaskRun}), in the recording a
 * real child JVM makes with {@code -XX:StartFlightRecording} and leaves behind when it exits.
 */
@Timeout(120)
class JfrEventsTest {
    private static final String CHUNK_SEND = "dev.multiproc.ChunkSend";
    private static final String CHUNK = "dev.multiproc.Chunk";
    private static final String TASK_RUN = "dev.multiproc.TaskRun";
    private static final String WORKER_START = "dev.multiproc.WorkerStart";
    private static final String WORKER_EXIT = "dev.multiproc.WorkerExit";
    private static final String HUB_OPERATION = "dev.multiproc.HubOperation";
    private static final String LOCK_WAIT = "dev.multiproc.LockWait";
    /** The child JVMs' flags, as a user sets them to record children. */
    private static final String CHILD_JVM_OPTIONS = "multiproc.childJvmOptions";

    static int twice(int x) {
        return 2 * x;
    }

    static long pid(int x) {
        return ProcessHandle.current().pid();
    }

    static int fail(int x) {
        throw new IllegalStateException("fails on purpose");
    }

    /** A recording of every multiproc event, none held back by a threshold; started. */
    private static Recording recordEverything() {
        Recording recording = new Recording();
        for (String name : List.of(CHUNK_SEND, CHUNK, TASK_RUN, WORKER_START, WORKER_EXIT, HUB_OPERATION,
                LOCK_WAIT)) {
            recording.enable(name).withThreshold(Duration.ZERO);
        }
        recording.start();
        return recording;
    }

    /** Stops the recording and reads back what it holds. */
    private static List<RecordedEvent> stopAndRead(Recording recording, Path file) throws IOException {
        recording.stop();
        recording.dump(file);
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Files.delete(file);
        return events;
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(event -> event.getEventType().getName().equals(name)).toList();
    }

    /** The events of kind {@code name} about the workers {@code workers} (other tests' pools may run meanwhile). */
    private static List<RecordedEvent> of(List<RecordedEvent> events, String name, Set<String> workers) {
        return named(events, name).stream().filter(event -> workers.contains(event.getString("worker"))).toList();
    }

    @Test
    void aRecordingOfTheParentShowsItsChunksWorkersHubCallsAndLockWaits(@TempDir Path dir) throws Exception {
        List<Integer> items = IntStream.range(0, 10).boxed().toList();
        Set<Long> pids;
        long waiterThread;
        List<RecordedEvent> events;
        try (Recording recording = recordEverything()) {
            EmbeddedTransport embedded = new EmbeddedTransport();
            try (Context context = embedded.context()) {
                EmbeddedTransport.StartedPool started = embedded.startPool(context.poolBuilder().workers(2), 2);
                pids = started.workers().stream().map(worker -> worker.process().pid()).collect(Collectors.toSet());
                try (Pool pool = started.pool()) {
                    CompletableFuture<List<Integer>> mapped = pool.mapAsync(JfrEventsTest::twice, items, 3);
                    playUntilDone(started.workers(), mapped);
                    assertEquals(items.stream().map(x -> 2 * x).toList(),
                            mapped.get(EmbeddedTransport.millis(20), TimeUnit.MILLISECONDS));
                }

                SharedLong counter = context.sharedLong(0);
                assertEquals(1, counter.incrementAndGet());
                SharedLock lock = context.lock();
                Thread waiter = new Thread(() -> {
                    lock.lock();
                    try {
                        assertTrue(lock.isLocked());
                    } finally {
                        lock.unlock();
                    }
                }, "jfr-test-lock-waiter");
                waiterThread = waiter.getId();
                boolean refused;
                lock.lock();
                try {
                    waiter.start();
                    awaitWaiting(waiter);
                    refused = !CompletableFuture.supplyAsync(lock::tryLock)
                            .get(EmbeddedTransport.millis(20), TimeUnit.MILLISECONDS);
                } finally {
                    lock.unlock();
                }
                waiter.join(EmbeddedTransport.millis(20));
                assertFalse(waiter.isAlive(), "the waiter took the lock once it was free");
                assertTrue(refused, "tryLock found the lock held");
            }
            events = stopAndRead(recording, dir.resolve("parent.jfr"));
        }

        List<RecordedEvent> starts = named(events, WORKER_START).stream()
                .filter(event -> pids.contains(event.getLong("pid"))).toList();
        assertEquals(2, starts.size(), "one WorkerStart per worker: " + starts);
        Set<String> workers = starts.stream().map(event -> event.getString("worker")).collect(Collectors.toSet());
        for (RecordedEvent start : starts) {
            assertEquals("embedded", start.getString("transport"));
            assertEquals(null, start.getString("remote"));
            assertFalse(start.getDuration().isNegative());
        }
        List<RecordedEvent> exits = of(events, WORKER_EXIT, workers);
        assertEquals(pids, exits.stream().map(event -> event.getLong("pid")).collect(Collectors.toSet()),
                "one WorkerExit per worker, with its pid: " + exits);
        assertEquals(2, exits.size());
        for (RecordedEvent exit : exits) {
            assertEquals(0, exit.getInt("exitStatus"), "told to exit, it exited cleanly: " + exit);
            assertTrue(exit.getBoolean("expected"), "the pool retired it: " + exit);
            assertTrue(exit.getDuration("lifetime").compareTo(Duration.ZERO) > 0, exit.toString());
        }

        int chunks = 4; // 10 items, 3 a chunk
        List<RecordedEvent> sends = of(events, CHUNK_SEND, workers);
        assertEquals(chunks, sends.size(), "one ChunkSend per chunk: " + sends);
        assertEquals(items.size(), sends.stream().mapToInt(event -> event.getInt("items")).sum());
        assertEquals(Set.of(0, 1, 2, 3), sends.stream().map(event -> event.getInt("chunkIndex"))
                .collect(Collectors.toSet()));
        assertTrue(sends.stream().allMatch(event -> event.getLong("bytes") > 0), sends.toString());
        List<RecordedEvent> answered = of(events, CHUNK, workers);
        assertEquals(chunks, answered.size(), "one Chunk per chunk: " + answered);
        assertEquals(items.size(), answered.stream().mapToInt(event -> event.getInt("items")).sum());
        assertTrue(answered.stream().allMatch(event -> event.getString("outcome").equals("ok")), answered.toString());
        assertEquals(taskIds(sends), taskIds(answered), "the chunks sent are the chunks answered");

        List<RecordedEvent> waits = named(events, LOCK_WAIT);
        RecordedEvent waited = waits.stream().filter(event -> event.getThread() != null
                && event.getThread().getJavaThreadId() == waiterThread).findFirst().orElseThrow(
                        () -> new AssertionError("no LockWait of the waiting thread: " + waits));
        assertTrue(waited.getBoolean("acquired"), waited.toString());
        assertTrue(waited.getString("lock").startsWith("SharedLock#"), waited.toString());
        assertTrue(waited.getDuration().compareTo(Duration.ZERO) > 0, "it waited: " + waited);
        assertTrue(waits.stream().anyMatch(event -> !event.getBoolean("acquired")
                && event.getDuration("timeout").isZero()), "the refused tryLock: " + waits);

        List<RecordedEvent> calls = named(events, HUB_OPERATION);
        assertTrue(calls.stream().anyMatch(event -> event.getString("operation").equals("LOCK_ACQUIRE")
                && event.getString("object").equals(waited.getString("lock"))
                && event.getString("outcome").equals("ok")), "the lock's calls: " + calls);
        assertTrue(calls.stream().anyMatch(event -> event.getString("object").startsWith("SharedLong#")
                && event.getString("outcome").equals("ok")), "the counter's call: " + calls);
    }

    @Test
    void aWorkerStartedWithARecordingLeavesTheChunksItRanInIt(@TempDir Path dir) throws Exception {
        // As the user guide says: JDK 17 does not expand %p in the file name, but a directory gets one file per JVM,
        // named with its pid. JFR's notice of the recording would land on the child's standard output, this test
        // transport's stream: every child's -Xlog:jfr+startup=error:stderr keeps it off. The recorder's own working
        // files go to the test's directory too, should the child be killed.
        Path children = Files.createDirectory(dir.resolve("children"));
        String options = "-XX:+UseSerialGC -XX:StartFlightRecording:filename=" + children + "/"
                + " -XX:FlightRecorderOptions:repository=" + dir.resolve("repository");
        List<Integer> items = IntStream.range(0, 7).boxed().toList();
        long child;
        List<RecordedEvent> parentEvents;
        String before = System.setProperty(CHILD_JVM_OPTIONS, options);
        try (Recording recording = recordEverything()) {
            try (Context context = Multiproc.contextBuilder().transport(new StdioTestTransport()).build();
                    Pool pool = context.pool(1)) {
                List<Long> ran = pool.map(JfrEventsTest::pid, items, 2);
                child = ran.get(0);
                assertEquals(List.of(child), ran.stream().distinct().toList(), "one worker ran them all");
                Task<Integer, Integer> failing = JfrEventsTest::fail;
                assertThrows(TaskFailedException.class, () -> pool.apply(failing, 0));
            }
            parentEvents = stopAndRead(recording, dir.resolve("parent.jfr"));
        } finally {
            if (before == null) {
                System.clearProperty(CHILD_JVM_OPTIONS);
            } else {
                System.setProperty(CHILD_JVM_OPTIONS, before);
            }
        }

        List<Path> files;
        try (Stream<Path> listed = Files.list(children)) {
            files = listed.toList();
        }
        assertEquals(1, files.size(), "one recording, written by the worker as it exited: " + files);
        assertTrue(files.get(0).getFileName().toString().startsWith("hotspot-pid-" + child + "-"), files.toString());
        List<RecordedEvent> runs = named(RecordingFile.readAllEvents(files.get(0)), TASK_RUN);
        Files.delete(files.get(0));

        assertEquals(5, runs.size(), "four chunks of the map and the failing apply: " + runs);
        Map<String, Integer> itemsByOutcome = new HashMap<>();
        for (RecordedEvent run : runs) {
            itemsByOutcome.merge(run.getString("outcome"), run.getInt("items"), Integer::sum);
            assertTrue(run.getString("function").startsWith(JfrEventsTest.class.getName()), run.toString());
        }
        assertEquals(Map.of("ok", items.size(), "failed", 1), itemsByOutcome);

        Set<String> worker = named(parentEvents, WORKER_START).stream().filter(event -> event.getLong("pid") == child)
                .map(event -> event.getString("worker")).collect(Collectors.toSet());
        assertEquals(1, worker.size(), "the parent saw the worker start: " + named(parentEvents, WORKER_START));
        RecordedEvent exit = of(parentEvents, WORKER_EXIT, worker).get(0);
        assertEquals(child, exit.getLong("pid"));
        assertEquals(0, exit.getInt("exitStatus"));
        List<RecordedEvent> answered = of(parentEvents, CHUNK, worker);
        assertEquals(taskIds(runs), taskIds(answered), "the parent's chunks are the ones the worker ran");
        assertEquals(1, answered.stream().filter(event -> event.getString("outcome").equals("failed")).count(),
                answered.toString());
    }

    private static Set<Long> taskIds(List<RecordedEvent> events) {
        return events.stream().map(event -> event.getLong("taskId")).collect(Collectors.toSet());
    }

    /** Plays the embedded workers: runs whatever they are sent until {@code call} is done. */
    private static void playUntilDone(List<EmbeddedChild> workers, CompletableFuture<?> call) throws Exception {
        List<Task<Object, Object>> functions = new ArrayList<>();
        workers.forEach(worker -> functions.add(null));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EmbeddedTransport.millis(20));
        while (!call.isDone()) {
            assertTrue(System.nanoTime() < deadline, "the call was not done within 20 s (scaled)");
            for (int i = 0; i < workers.size(); i++) {
                RunTask task = workers.get(i).pollTask(10);
                if (task != null) {
                    functions.set(i, workers.get(i).run(task, functions.get(i)));
                }
            }
        }
    }

    /** Waits until {@code thread} is parked: here, waiting for the hub to give it a lock another thread holds. */
    private static void awaitWaiting(Thread thread) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EmbeddedTransport.millis(20));
        while (thread.getState() != Thread.State.WAITING) {
            assertTrue(System.nanoTime() < deadline, "the thread did not wait for the lock: " + thread.getState());
            Thread.onSpinWait();
        }
    }
}
