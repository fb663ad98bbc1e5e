package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.ChildProcess;
import dev.multiproc.ChildStartException;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.MultiprocException;
import dev.multiproc.Pool;
import dev.multiproc.SharedInt;
import dev.multiproc.Task;
import dev.multiproc.TaskFailedException;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of how children start: where they find the application's code (derived, or given with
 * {@link Context.Builder}), and what a caller learns when a child cannot start: an exception with the child's exit
 * status and the end of its standard error, from {@code join()}, {@code failure()} and a pool's {@code map}, never
 * a silent exit or a hang.
 */
public abstract class LaunchContract extends TransportContract {
    /** For a transport's subclass, which JUnit instantiates. */
    protected LaunchContract() {
    }

    private static final String BAD_OPTION = "-XX:+NoSuchOptionForTheMultiprocTck";

    /** A directory, empty, to serve as a class path that holds nothing. */
    @TempDir
    Path empty;

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private Context contextWithCommand(String... command) {
        return Multiproc.contextBuilder().transport(transportName()).childCommand(List.of(command)).build();
    }

    static int addOne(int x) {
        return x + 1;
    }

    static int failOnPurpose(int x) {
        throw new IllegalStateException("task failed on purpose: " + x);
    }

    /** The caller's own method shows in the stack trace of an exception thrown to it. */
    private static void assertCallerFrames(Throwable thrown, String method) {
        boolean found = Arrays.stream(thrown.getStackTrace()).anyMatch(frame -> frame.getMethodName().contains(method));
        assertTrue(found, () -> "the stack trace of " + thrown + " does not show the caller's frame " + method + ": "
                + Arrays.toString(thrown.getStackTrace()));
    }

    /**
     * A child whose JVM options are invalid exits before it is ready: {@code join()} throws a
     * {@link ChildStartException} with its exit status and what the JVM said, {@code failure()} holds it.
     */
    @Test
    public void childWithInvalidJvmOptionsFailsToStartLoudly() {
        within(30, "a child with an invalid JVM option to fail", () -> {
            try (Context broken = contextWithCommand(java(), BAD_OPTION, "-cp",
                    System.getProperty("java.class.path"))) {
                ChildProcess child = broken.process(() -> System.out.println("never runs")).start();
                ChildStartException thrown = assertThrows(ChildStartException.class, child::join);
                assertNotEquals(0, thrown.exitStatus());
                assertTrue(thrown.standardError().contains("NoSuchOptionForTheMultiprocTck"),
                        () -> "the JVM's complaint is missing from: " + thrown.standardError());
                assertTrue(thrown.getMessage().contains("NoSuchOptionForTheMultiprocTck"), thrown::getMessage);
                assertCallerFrames(thrown, "childWithInvalidJvmOptionsFailsToStartLoudly");
                assertInstanceOf(ChildStartException.class, child.failure().orElseThrow());
                assertEquals(thrown.exitStatus(), child.exitCode().orElseThrow());
            }
            return null;
        });
    }

    /**
     * A child whose class path lacks multiproc cannot find its main class: the caller learns that, with the JVM's
     * own words, from {@code join(timeout)}.
     */
    @Test
    public void childWithWrongClassPathFailsToStartLoudly() {
        within(30, "a child with a wrong class path to fail", () -> {
            try (Context broken = contextWithCommand(java(), "-cp", empty.toString())) {
                ChildProcess child = broken.process(() -> System.out.println("never runs")).start();
                ChildStartException thrown = assertThrows(ChildStartException.class,
                        () -> child.join(TckTimeouts.seconds(20).toMillis(), TimeUnit.MILLISECONDS));
                assertTrue(thrown.standardError().contains("dev.multiproc.internal.child.ChildMain"),
                        () -> "the JVM's complaint is missing from: " + thrown.standardError());
            }
            return null;
        });
    }

    /**
     * A pool whose workers cannot start fails the caller's {@code map}, in the caller's thread, with the last
     * worker's {@link ChildStartException} as the cause, instead of waiting forever.
     */
    @Test
    public void poolWhoseWorkersCannotStartFailsMapWithTheChildsWords() {
        within(60, "a pool whose workers cannot start to fail", () -> {
            try (Context broken = contextWithCommand(java(), BAD_OPTION, "-cp",
                    System.getProperty("java.class.path")); Pool pool = broken.pool(1)) {
                MultiprocException thrown = assertThrows(MultiprocException.class,
                        () -> pool.map(LaunchContract::addOne, List.of(1, 2, 3)));
                Throwable cause = thrown;
                while (cause != null && !(cause instanceof ChildStartException)) {
                    cause = cause.getCause();
                }
                assertInstanceOf(ChildStartException.class, cause, () -> "no ChildStartException under " + thrown);
                assertTrue(((ChildStartException) cause).standardError().contains("NoSuchOptionForTheMultiprocTck"));
                assertTrue(thrown.getMessage().contains("NoSuchOptionForTheMultiprocTck"), thrown::getMessage);
                assertCallerFrames(thrown, "poolWhoseWorkersCannotStartFailsMapWithTheChildsWords");
            }
            return null;
        });
    }

    /** A task failure thrown by {@code map} shows the caller's frames, and the remote exception as its cause. */
    @Test
    public void taskFailureShowsTheCallersFramesAndTheRemoteCause() {
        within(30, "a failing task", () -> {
            try (Pool pool = context.pool(1)) {
                TaskFailedException thrown = assertThrows(TaskFailedException.class,
                        () -> pool.map(LaunchContract::failOnPurpose, List.of(7)));
                assertCallerFrames(thrown, "taskFailureShowsTheCallersFramesAndTheRemoteCause");
                assertInstanceOf(IllegalStateException.class, thrown.getCause());
                assertCallerFrames(thrown.getCause(), "failOnPurpose");
            }
            return null;
        });
    }

    /**
     * An explicit class path is what children run on: with this JVM's class path named entry by entry, children
     * run tasks as usual.
     */
    @Test
    public void explicitChildClassPathIsUsed() {
        within(60, "children on an explicit class path", () -> {
            List<Path> entries = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                entries.add(Path.of(entry));
            }
            try (Context explicit = Multiproc.contextBuilder().transport(transportName()).childClassPath(entries)
                    .build(); Pool pool = explicit.pool(1)) {
                assertEquals(List.of(2, 3, 4), pool.map(LaunchContract::addOne, List.of(1, 2, 3)));
                SharedInt counter = explicit.sharedInt(0);
                ChildProcess child = explicit.process(() -> counter.incrementAndGet()).start();
                child.join();
                assertEquals(1, counter.get());
            }
            return null;
        });
    }

    /**
     * A task whose class children cannot load (it is not on the class path they were given) is refused when it is
     * submitted, with a message that names the class and how to give children a class path; nothing is started.
     */
    @Test
    public void taskThatChildrenCannotLoadIsRefusedAtSubmit() {
        // everything this JVM has but the tck itself, where the tasks below are written
        Path tck = Path.of(LaunchContract.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .toAbsolutePath().normalize();
        List<Path> withoutTck = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!Path.of(entry).toAbsolutePath().normalize().equals(tck)) {
                withoutTck.add(Path.of(entry));
            }
        }
        try (Context narrow = Multiproc.contextBuilder().transport(transportName()).childClassPath(withoutTck)
                .build()) {
            MultiprocException refused = assertThrows(MultiprocException.class,
                    () -> narrow.process(() -> System.out.println("never sent")));
            assertTrue(refused.getMessage().contains(LaunchContract.class.getName()), refused::getMessage);
            assertTrue(refused.getMessage().contains("childClassPath"), refused::getMessage);
            Task<Integer, Integer> task = LaunchContract::addOne;
            try (Pool pool = narrow.pool(1)) {
                MultiprocException poolRefused = assertThrows(MultiprocException.class,
                        () -> pool.map(task, List.of(1)));
                assertTrue(poolRefused.getMessage().contains(LaunchContract.class.getName()),
                        poolRefused::getMessage);
            }
        }
    }
}
