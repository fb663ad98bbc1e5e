package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.ContextOption;
import dev.multiproc.Multiproc;
import dev.multiproc.Pool;
import dev.multiproc.SharedEvent;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedLong;
import dev.multiproc.tck.support.ChildOutputMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link ChildProcess}: start and join, exit codes, the failure of a target that throws, pid,
 * name and daemon settings, {@code terminate()} and {@code kill()}, and the children's standard output.
 */
public abstract class ProcessContract extends TransportContract {

    /** The exception a failing target throws, a JDK type so that the parent can rebuild it. */
    private static final String FAILURE_MESSAGE = "target failed on purpose";

    /** For a transport's subclass, which JUnit instantiates. */
    protected ProcessContract() {
    }

    static void throwOnPurpose() {
        throw new IllegalArgumentException(FAILURE_MESSAGE);
    }

    static void reportPidAndWait(SharedLong pid, SharedEvent release) throws InterruptedException {
        pid.set(ProcessHandle.current().pid());
        release.await();
    }

    static void startAndBlock(SharedInt started, SharedEvent never) throws InterruptedException {
        started.incrementAndGet();
        never.await();
    }

    /** Starts a non-daemon thread that sets {@code event} after a while, and returns at once. */
    static void handWorkToAThread(SharedEvent event) {
        Thread worker = new Thread(() -> {
            try {
                Thread.sleep(500);   // the behaviour under test: a thread that outlives the target
            } catch (InterruptedException e) {
                return;
            }
            event.set();
        }, "user-work");
        worker.start();
    }

    /**
     * A child waits for the non-daemon threads its target started before it exits, as a JVM does and as Python's
     * Process does: {@code join()} returns after their work is done.
     */
    @Test
    public void childWaitsForTheNonDaemonThreadsItsTargetStarted() {
        within(30, "a child whose target hands work to a thread", () -> {
            SharedEvent done = context.event();
            ChildProcess child = context.process(() -> handWorkToAThread(done)).start();
            child.join();
            assertTrue(done.isSet(), "the child exited before its non-daemon thread finished");
            assertEquals(0, child.exitCode().getAsInt());
            return null;
        });
    }

    /**
     * A child can open a context of its own and run a pool and processes in it, as a non-daemon Python process can
     * (issue 11, item 6): results come back, and the grandchild's exit reaches the child.
     */
    @Test
    public void aChildRunsAPoolAndProcessesOfItsOwn() {
        String transport = transportName();
        within(90, "a nested context", () -> {
            dev.multiproc.Queue<String> out = context.queue();
            ChildProcess child = context.process(() -> {
                try (dev.multiproc.Context inner = dev.multiproc.Multiproc.context(transport)) {
                    try (dev.multiproc.Pool pool = inner.pool(2)) {
                        out.put("pool " + pool.map(x -> x * x, List.of(1, 2, 3)));
                    }
                    dev.multiproc.Queue<Long> pids = inner.queue();
                    ChildProcess grandchild = inner.process(() -> pids.put(ProcessHandle.current().parent()
                            .map(ProcessHandle::pid).orElse(-1L))).start();
                    out.put("grandchild's parent " + (pids.get(TckTimeouts.millis(30), TimeUnit.MILLISECONDS)
                            == ProcessHandle.current().pid() ? "is the child" : "is someone else"));
                    grandchild.join();
                    out.put("grandchild exit " + grandchild.exitCode().getAsInt());
                }
            }).start();
            child.join();
            assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            assertEquals("pool [1, 4, 9]", out.get(TckTimeouts.millis(5), TimeUnit.MILLISECONDS));
            assertEquals("grandchild's parent is the child", out.get(TckTimeouts.millis(5), TimeUnit.MILLISECONDS));
            assertEquals("grandchild exit 0", out.get(TckTimeouts.millis(5), TimeUnit.MILLISECONDS));
            return null;
        });
    }

    /**
     * The orphan guarantee one level down (issue 11, item 6): a child killed with SIGKILL while its own pool
     * worker and child run takes them with it.
     */
    @Test
    public void aChildKilledTakesItsOwnChildrenWithIt() {
        String transport = transportName();
        within(90, "grandchildren of a killed child", () -> {
            dev.multiproc.Queue<Long> pids = context.queue();
            ChildProcess child = context.process(() -> {
                dev.multiproc.Context inner = dev.multiproc.Multiproc.context(transport);
                dev.multiproc.Pool pool = inner.pool(1);
                pids.put(pool.apply(x -> ProcessHandle.current().pid(), 0));
                dev.multiproc.Queue<Long> started = inner.queue();
                inner.process(() -> {
                    started.put(ProcessHandle.current().pid());
                    Thread.sleep(120_000);
                }).start();
                pids.put(started.get(TckTimeouts.millis(30), TimeUnit.MILLISECONDS));
                Thread.sleep(120_000);
            }).start();
            long worker = pids.get(TckTimeouts.millis(60), TimeUnit.MILLISECONDS);
            long grandchild = pids.get(TckTimeouts.millis(60), TimeUnit.MILLISECONDS);
            assertTrue(ProcessHandle.of(worker).isPresent() && ProcessHandle.of(grandchild).isPresent());
            child.kill();
            child.join();
            long deadline = System.nanoTime() + TckTimeouts.seconds(10).toNanos();
            for (long pid : List.of(worker, grandchild)) {
                while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    if (System.nanoTime() > deadline) {
                        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                        fail("process " + pid + " outlived the killed child that started it");
                    }
                    Thread.sleep(20);
                }
            }
            return null;
        });
    }

    /** A target that returns ends the process with exit code 0 and no failure; its effect is visible. */
    @Test
    public void targetThatReturnsExitsWithZero() {
        within(30, "a child to run and exit", () -> {
            SharedLong value = context.sharedLong(0);
            ChildProcess child = context.process(() -> value.set(42)).start();
            child.join();
            assertEquals(0, child.exitCode().getAsInt());
            assertTrue(child.failure().isEmpty(), () -> "unexpected failure " + child.failure());
            assertFalse(child.isAlive());
            assertEquals(42, value.get());
            return null;
        });
    }

    /** A target that throws ends the process with exit code 1, and {@code failure()} holds its type and message. */
    @Test
    public void targetThatThrowsExitsWithOneAndReportsTheFailure() {
        within(30, "a failing child to exit", () -> {
            ChildProcess child = context.process(ProcessContract::throwOnPurpose).start();
            child.join();
            assertEquals(1, child.exitCode().getAsInt());
            Throwable failure = child.failure().orElseThrow(() -> new AssertionError("no failure reported"));
            assertInstanceOf(IllegalArgumentException.class, failure);
            assertEquals(FAILURE_MESSAGE, failure.getMessage());
            return null;
        });
    }

    /**
     * {@code join(timeout)} returns false while the child still runs and true once it has exited; {@code isAlive}
     * is true in between and false after; {@code pid()} is the pid the child sees for itself.
     */
    @Test
    public void joinWithTimeoutIsAliveAndPidFollowTheChild() {
        within(30, "a waiting child", () -> {
            SharedEvent release = context.event();
            SharedLong reported = context.sharedLong(0);
            ChildProcess child = context.process(() -> reportPidAndWait(reported, release)).start();
            assertTrue(child.isAlive());
            await(20, "the child to report its pid", () -> reported.get() != 0);
            assertFalse(child.join(100, TimeUnit.MILLISECONDS), "join returned true while the child waits");
            assertTrue(child.isAlive());
            assertTrue(child.exitCode().isEmpty());
            assertEquals(reported.get(), child.pid());
            assertNotEquals(ProcessHandle.current().pid(), child.pid(), "the child must be another process");
            release.set();
            assertTrue(child.join(TckTimeouts.seconds(20).toMillis(), TimeUnit.MILLISECONDS));
            assertFalse(child.isAlive());
            assertEquals(0, child.exitCode().getAsInt());
            return null;
        });
    }

    /** The default name starts with {@code process-}; name and daemon can be set before start, not after. */
    @Test
    public void nameAndDaemonAreSetBeforeStartOnly() {
        within(30, "a named daemon child", () -> {
            ChildProcess child = context.process(() -> { });
            assertTrue(child.name().startsWith("process-"), child.name());
            assertFalse(child.isDaemon());
            assertThrows(IllegalStateException.class, child::pid);
            assertEquals(child, child.name("x"));
            assertEquals(child, child.daemon(true));
            assertEquals("x", child.name());
            assertTrue(child.isDaemon());
            child.start();
            assertThrows(IllegalStateException.class, () -> child.name("late"));
            assertThrows(IllegalStateException.class, () -> child.daemon(false));
            assertEquals("x", child.name());
            assertTrue(child.isDaemon());
            child.join();
            assertEquals(0, child.exitCode().getAsInt());
            return null;
        });
    }

    /** Starting a process twice throws IllegalStateException and does not disturb the running child. */
    @Test
    public void startTwiceThrows() {
        within(30, "a child started twice", () -> {
            SharedInt runs = context.sharedInt(0);
            ChildProcess child = context.process(() -> {
                runs.incrementAndGet();
            }).start();
            assertThrows(IllegalStateException.class, child::start);
            child.join();
            assertThrows(IllegalStateException.class, child::start);
            assertEquals(0, child.exitCode().getAsInt());
            assertEquals(1, runs.get());
            return null;
        });
    }

    /** {@code terminate()} stops a child blocked on an event with exit code 143 (SIGTERM). */
    @Test
    public void terminateGivesExitCode143() {
        within(30, "a terminated child to exit", () -> {
            SharedEvent never = context.event();
            SharedInt started = context.sharedInt(0);
            ChildProcess child = context.process(() -> startAndBlock(started, never)).start();
            await(20, "the child to block", () -> started.get() == 1);
            child.terminate();
            child.join();
            assertEquals(143, child.exitCode().getAsInt());
            assertFalse(child.isAlive());
            return null;
        });
    }

    /** {@code kill()} stops a child blocked on an event with exit code 137 (SIGKILL). */
    @Test
    public void killGivesExitCode137() {
        within(30, "a killed child to exit", () -> {
            SharedEvent never = context.event();
            SharedInt started = context.sharedInt(0);
            ChildProcess child = context.process(() -> startAndBlock(started, never)).start();
            await(20, "the child to block", () -> started.get() == 1);
            child.kill();
            child.join();
            assertEquals(137, child.exitCode().getAsInt());
            assertFalse(child.isAlive());
            return null;
        });
    }

    /**
     * Lines that four children print at once reach the parent's standard output whole: every line is either
     * {@code DONE} or exactly a well-formed child line, and all 800 arrive once each. Runs in a fresh JVM so that
     * its standard output can be read.
     *
     * @throws IOException if the fresh JVM cannot be started
     */
    @Test
    public void childOutputReachesTheParentLineIntact() throws IOException {
        Process parent = new ProcessBuilder(javaCommand(ChildOutputMain.class, List.of(), transportName()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            parent.getOutputStream().close();
            String text = within(60, "the child-output program to finish",
                    () -> new String(parent.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertTrue(within(10, "the child-output program to exit", () -> parent.waitFor(
                    TckTimeouts.seconds(10).toMillis(), TimeUnit.MILLISECONDS)));
            assertEquals(0, parent.exitValue(), "exit code of ChildOutputMain");
            Pattern line = Pattern.compile("child ([0-9]+) line ([0-9]+) " + "x".repeat(ChildOutputMain.PADDING));
            Set<String> seen = new HashSet<>();
            int done = 0;
            for (String each : text.split("\n", -1)) {
                if (each.isEmpty()) {
                    continue; // after the last newline
                }
                if (each.equals("DONE")) {
                    done++;
                    continue;
                }
                Matcher matcher = line.matcher(each);
                if (!matcher.matches()) {
                    fail("mangled line: " + each);
                }
                int child = Integer.parseInt(matcher.group(1));
                int n = Integer.parseInt(matcher.group(2));
                assertTrue(child < ChildOutputMain.CHILDREN && n < ChildOutputMain.LINES, "unexpected line " + each);
                assertTrue(seen.add(child + "/" + n), "duplicate line " + each);
            }
            assertEquals(1, done, "DONE lines");
            assertEquals(ChildOutputMain.CHILDREN * ChildOutputMain.LINES, seen.size(), "distinct child lines");
            assertTrue(text.endsWith("DONE\n") || text.endsWith("DONE" + System.lineSeparator()),
                    "DONE must come last");
        } finally {
            parent.destroyForcibly();
        }
    }

    /** @return this JVM's value of a system property, for a child to report */
    static String systemProperty(String name) {
        return String.valueOf(System.getProperty(name));
    }

    /**
     * An option set on one context's builder is that context's alone, and its children run with it; another context
     * in the same JVM, and its children, keep the default. A value outside the option's range is refused by the
     * builder, naming the option.
     */
    @Test
    public void aContextsOptionsAreItsOwnAndReachItsChildren() {
        String name = ContextOption.SPIN_MICROS.name();
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Multiproc.contextBuilder().option(ContextOption.SPIN_MICROS, -1));
        assertTrue(refused.getMessage().contains(name), refused.getMessage());
        String expectedDefault = String.valueOf(System.getProperty(name));
        within(90, "children of two contexts report their option", () -> {
            try (Context tuned = Multiproc.contextBuilder().transport(transportName())
                    .option(ContextOption.SPIN_MICROS, 7).build();
                    Pool tunedPool = tuned.pool(1);
                    Pool plainPool = context.pool(1)) {
                assertEquals(List.of("7"), tunedPool.map(ProcessContract::systemProperty, List.of(name)),
                        "the tuned context's child");
                assertEquals(List.of(expectedDefault), plainPool.map(ProcessContract::systemProperty, List.of(name)),
                        "the other context's child");
            }
            return null;
        });
    }
}
