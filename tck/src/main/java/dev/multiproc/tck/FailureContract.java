package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.ChildStartException;
import dev.multiproc.Multiproc;
import dev.multiproc.MultiprocException;
import dev.multiproc.Pool;
import dev.multiproc.Queue;
import dev.multiproc.RemoteThrowable;
import dev.multiproc.SerializationException;
import dev.multiproc.SharedEvent;
import dev.multiproc.SharedInt;
import dev.multiproc.TaskFailedException;
import dev.multiproc.WorkerCrashedException;
import dev.multiproc.tck.support.OrphanCheckMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The failure rules: remote exceptions, crashed workers, bad input, and a dead parent. */
public abstract class FailureContract extends TransportContract {

    /** For a transport's subclass, which JUnit instantiates. */
    protected FailureContract() {
    }

    /** Not serializable: a task or argument that captures one must be refused at submit time. */
    static final class Unshippable {
        final int value = 1;
    }

    /** An exception that Java serialization cannot write (its field is not serializable). */
    static final class UnshippableException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final Object monitor = new Object();

        UnshippableException(String message) {
            super(message);
        }
    }

    static int throwBoom(int x) {
        if (x == 7) {
            throw new IllegalStateException("boom " + x);
        }
        return x;
    }

    static int throwUnshippable(int x) {
        throw new UnshippableException("cannot travel " + x);
    }

    static int identity(int x) {
        return x;
    }

    private static List<Integer> range(int n) {
        List<Integer> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(i);
        }
        return list;
    }

    private static boolean traceMentions(Throwable error, String method) {
        return Arrays.stream(error.getStackTrace()).anyMatch(frame -> frame.getMethodName().equals(method));
    }

    /** A throwing task fails map with the remote type, message and stack trace; the pool goes on. */
    @Test
    public void taskExceptionFailsMapWithRemoteTypeMessageAndStack() {
        within(60, "failing map", () -> {
            try (Pool pool = context.pool(2)) {
                TaskFailedException failure = assertThrows(TaskFailedException.class,
                        () -> pool.map(FailureContract::throwBoom, range(10), 1));
                Throwable remote = failure.getCause();
                assertInstanceOf(IllegalStateException.class, remote);
                assertEquals("boom 7", remote.getMessage());
                assertTrue(traceMentions(remote, "throwBoom"), "remote stack trace lacks throwBoom: "
                        + Arrays.toString(remote.getStackTrace()));
                assertTrue(failure.getMessage().contains("pid"), failure.getMessage());
                assertEquals(range(5), pool.map(FailureContract::identity, range(5)));
            }
            return null;
        });
    }

    /**
     * A failing item does not stop the map (issue 11, item 2): every other item still runs, in other chunks and
     * later in the failing item's own chunk, and only then does {@code map} throw, as Python's does.
     */
    @Test
    public void mapRunsEveryItemEvenAfterOneFails() {
        within(60, "map with a failing first item", () -> {
            try (Pool pool = context.pool(1)) {
                SharedInt ran = context.sharedInt(0);
                for (int chunksize : new int[] {1, 6}) {
                    ran.set(0);
                    TaskFailedException failure = assertThrows(TaskFailedException.class, () -> pool.map(x -> {
                        if (x == 0) {
                            throw new IllegalStateException("item 0");
                        }
                        ran.incrementAndGet();
                        return x;
                    }, range(6), chunksize));
                    assertEquals("item 0", failure.getCause().getMessage());
                    assertEquals(5, ran.get(), "items 1 to 5 ran to the end (chunksize " + chunksize + ")");
                }
            }
            return null;
        });
    }

    /**
     * The failure {@code map} throws is the earliest in input order, not the first to arrive (issue 11, item 2):
     * item 1 fails at once, item 0 only once item 1's failure is on its way; item 0's is thrown, item 1's is
     * attached to it as suppressed.
     */
    @Test
    public void mapThrowsTheEarliestFailureInInputOrder() {
        within(60, "map whose second item fails first", () -> {
            try (Pool pool = context.pool(2)) {
                SharedEvent secondFailed = context.event();
                TaskFailedException failure = assertThrows(TaskFailedException.class, () -> pool.map(x -> {
                    if (x == 1) {
                        secondFailed.set();
                        throw new IllegalStateException("item 1");
                    }
                    if (!secondFailed.await(TckTimeouts.millis(30), TimeUnit.MILLISECONDS)) {
                        throw new AssertionError("item 1 never ran alongside item 0");
                    }
                    Thread.sleep(300);
                    throw new IllegalStateException("item 0");
                }, range(2), 1));
                assertEquals("item 0", failure.getCause().getMessage());
                assertEquals(1, failure.getSuppressed().length, Arrays.toString(failure.getSuppressed()));
                assertEquals("item 1", failure.getSuppressed()[0].getCause().getMessage());
            }
            return null;
        });
    }

    /** Through a future, the failure is the ExecutionException's cause. */
    @Test
    public void taskExceptionFailsItsFutureOnly() {
        within(60, "failing future", () -> {
            try (Pool pool = context.pool(2)) {
                CompletableFuture<Integer> bad = pool.applyAsync(FailureContract::throwBoom, 7);
                CompletableFuture<Integer> good = pool.applyAsync(FailureContract::throwBoom, 6);
                ExecutionException error = assertThrows(ExecutionException.class,
                        () -> bad.get(TckTimeouts.millis(30), TimeUnit.MILLISECONDS));
                assertInstanceOf(TaskFailedException.class, error.getCause());
                assertInstanceOf(IllegalStateException.class, error.getCause().getCause());
                assertEquals(6, good.get(TckTimeouts.millis(30), TimeUnit.MILLISECONDS));
            }
            return null;
        });
    }

    /** An exception that cannot be serialized arrives as a RemoteThrowable naming its class. */
    @Test
    public void unserializableExceptionArrivesAsRemoteThrowable() {
        within(60, "unserializable exception", () -> {
            try (Pool pool = context.pool(1)) {
                TaskFailedException failure = assertThrows(TaskFailedException.class,
                        () -> pool.apply(FailureContract::throwUnshippable, 3));
                RemoteThrowable remote = assertInstanceOf(RemoteThrowable.class, failure.getCause());
                assertEquals(UnshippableException.class.getName(), remote.remoteClassName());
                assertEquals("cannot travel 3", remote.getMessage());
                assertTrue(traceMentions(remote, "throwUnshippable"));
            }
            return null;
        });
    }

    /**
     * A pool whose workers die before they are ready (here in its initializer, as a missing resource or a bad class
     * path would make them) tries three workers, waiting longer before each, then fails its calls with the cause: the
     * last worker's exit status and what it wrote to its standard error. It does not spin starting workers.
     */
    @Test
    public void aPoolWhoseWorkersCannotStartFailsItsCallsWithTheCause() {
        SharedInt starts = context.sharedInt(0);
        within(90, "a pool whose workers cannot start", () -> {
            Pool pool = context.poolBuilder().workers(1).initializer(() -> {
                starts.incrementAndGet();
                System.err.println("cannot start: the configuration is missing");
                System.err.flush();
                Runtime.getRuntime().halt(7);
            }).build();
            try {
                MultiprocException failure = assertThrows(MultiprocException.class,
                        () -> pool.map(FailureContract::identity, range(3)));
                assertTrue(failure.getMessage().contains("3 workers in a row"), failure.getMessage());
                Throwable why = failure.getCause();
                while (why != null && !(why instanceof ChildStartException)) {
                    why = why.getCause();
                }
                ChildStartException cause = assertInstanceOf(ChildStartException.class, why, failure.getMessage());
                assertEquals(7, cause.exitStatus(), cause.getMessage());
                assertTrue(cause.standardError().contains("the configuration is missing"), cause.getMessage());
                assertTrue(failure.getMessage().contains("the configuration is missing"), failure.getMessage());
                assertThrows(MultiprocException.class, () -> pool.map(FailureContract::identity, range(1)),
                        "a broken pool refuses new calls");
            } finally {
                pool.close();
            }
            assertEquals(3, starts.get(), "workers started before the pool gave up");
            return null;
        });
    }

    /**
     * A worker killed with SIGKILL mid-task fails only its task (with no retries: see {@link RetryContract}), is
     * replaced, and the pool goes on.
     */
    @Test
    public void workerKilledMidTaskFailsOnlyItsTasks() {
        within(90, "worker crash", () -> {
            try (Pool pool = context.poolBuilder().workers(2).retries(0).build()) {
                Queue<Long> pids = context.queue();
                CompletableFuture<Long> doomed = pool.submit(() -> {
                    pids.put(ProcessHandle.current().pid());
                    Thread.sleep(60_000);
                    return 0L;
                });
                long pid = pids.get(TckTimeouts.millis(30), TimeUnit.MILLISECONDS);
                ProcessHandle.of(pid).orElseThrow().destroyForcibly();
                ExecutionException error = assertThrows(ExecutionException.class,
                        () -> doomed.get(TckTimeouts.seconds(15).toMillis(), TimeUnit.MILLISECONDS));
                WorkerCrashedException crash = assertInstanceOf(WorkerCrashedException.class, error.getCause());
                assertEquals(137, crash.exitStatus());
                assertEquals(pid, crash.pid());
                assertTrue(crash.getMessage().contains(Long.toString(pid)), crash.getMessage());
                assertTrue(crash.getMessage().contains("137"), "the message names the exit status: "
                        + crash.getMessage());
                assertEquals(range(20), pool.map(FailureContract::identity, range(20), 1));
                assertEquals(2, pool.workers());
            }
            return null;
        });
    }

    /** A task capturing a non-serializable object is refused in the caller, naming the object. */
    @Test
    public void nonSerializableTaskFailsAtSubmitNamingTheObject() {
        within(60, "non-serializable task", () -> {
            try (Pool pool = context.pool(1)) {
                Unshippable captured = new Unshippable();
                SerializationException error = assertThrows(SerializationException.class,
                        () -> pool.map((Integer x) -> x + captured.value, range(3)));
                assertTrue(error.getMessage().contains(Unshippable.class.getName()), error.getMessage());
            }
            return null;
        });
    }

    /**
     * A plain {@link java.util.function.Function} where a task belongs (here captured by a method reference to
     * it) is refused in the caller, with the fix: declare it as a multiproc task type.
     */
    @Test
    public void plainFunctionWhereATaskBelongsIsRefusedWithTheFix() {
        within(60, "a java.util.function.Function as a task", () -> {
            try (Pool pool = context.pool(1)) {
                java.util.function.Function<Integer, Integer> plain = x -> x + 1;
                SerializationException error = assertThrows(SerializationException.class,
                        () -> pool.map(plain::apply, range(3)));
                assertTrue(error.getMessage().contains("java.util.function.Function"), error.getMessage());
                assertTrue(error.getMessage().contains("dev.multiproc.Task"), error.getMessage());
            }
            return null;
        });
    }

    static Object unshippableResult(int x) {
        return new Unshippable();
    }

    /** A task whose result cannot be serialized fails with a message that says it is the result, naming its class. */
    @Test
    public void nonSerializableResultIsNamedAsTheResult() {
        within(60, "a task with a non-serializable result", () -> {
            try (Pool pool = context.pool(1)) {
                TaskFailedException error = assertThrows(TaskFailedException.class,
                        () -> pool.map(FailureContract::unshippableResult, range(1)));
                String message = error.getCause().getMessage();
                assertTrue(message.contains("returned a value"), message);
                assertTrue(message.contains(Unshippable.class.getName()), message);
                assertEquals(range(3), pool.map(FailureContract::identity, range(3)), "the pool goes on");
            }
            return null;
        });
    }

    /** An exception whose own {@code getMessage()} throws. */
    static final class UnprintableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        @Override
        public String getMessage() {
            throw new IllegalStateException("getMessage() fails on purpose");
        }
    }

    static int throwUnprintable(int x) {
        throw new UnprintableException();
    }

    /**
     * A task whose exception cannot even say its message fails that task with a {@link TaskFailedException} that
     * names the exception's class, not the worker; the pool goes on.
     */
    @Test
    public void taskWhoseExceptionCannotSayItsMessageFailsOnlyThatTask() {
        within(60, "a task with an unprintable exception", () -> {
            try (Pool pool = context.pool(1)) {
                TaskFailedException error = assertThrows(TaskFailedException.class,
                        () -> pool.map(FailureContract::throwUnprintable, range(1)));
                assertTrue(error.getMessage().contains(UnprintableException.class.getName()), error.getMessage());
                assertEquals(range(3), pool.map(FailureContract::identity, range(3)), "the pool goes on");
            }
            return null;
        });
    }

    /** A non-serializable argument is refused in the caller, naming its index and class. */
    @Test
    public void nonSerializableArgumentFailsAtSubmitNamingTheObject() {
        within(60, "non-serializable argument", () -> {
            try (Pool pool = context.pool(1)) {
                List<Object> arguments = new ArrayList<>(List.of("a", "b"));
                arguments.add(new Unshippable());
                SerializationException error = assertThrows(SerializationException.class,
                        () -> pool.map(String::valueOf, arguments));
                assertTrue(error.getMessage().contains(Unshippable.class.getName()), error.getMessage());
                assertTrue(error.getMessage().contains("Argument 2"), error.getMessage());
            }
            return null;
        });
    }

    /** An unknown transport name fails with a message that lists the transports available. */
    @Test
    public void unknownTransportNameListsTheAvailableOnes() {
        MultiprocException error = assertThrows(MultiprocException.class,
                () -> Multiproc.context("no-such-transport"));
        assertTrue(error.getMessage().contains("no-such-transport"), error.getMessage());
        assertTrue(error.getMessage().contains(transportName()), error.getMessage());
        assertTrue(Multiproc.availableTransports().contains(transportName()));
    }

    /**
     * A parent killed with SIGKILL leaves no child running.
     *
     * @throws Exception if the helper parent cannot be started or waited for
     */
    @Test
    public void parentKilledLeavesNoChildRunning() throws Exception {
        Process parent = new ProcessBuilder(javaCommand(OrphanCheckMain.class, List.of(), transportName()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        // Filled by the reader thread of within(); read here, and in finally even if that thread is still running.
        List<Long> children = new CopyOnWriteArrayList<>();
        try {
            within(60, "the helper parent to report its children", () -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null && !line.equals("DONE"); line = out.readLine()) {
                        children.add(Long.parseLong(line.trim()));
                    }
                }
                return null;
            });
            assertEquals(3, children.size(), "pids reported: " + children);
            parent.destroyForcibly();
            parent.waitFor(TckTimeouts.millis(10), TimeUnit.MILLISECONDS);
            await(5, "every child of the killed parent to exit", () -> children.stream().noneMatch(pid ->
                    ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
        } finally {
            parent.destroyForcibly();
            for (long pid : children) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        assertFalse(parent.isAlive());
    }
}
