package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.ChildProcess;
import dev.multiproc.SharedEvent;
import dev.multiproc.SharedLong;
import dev.multiproc.tck.support.ChildOutputMain;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** ChildProcess lifecycle: start, join, exit codes, failure, pid, name, daemon, terminate, kill, output. */
public abstract class ProcessContract extends TransportContract {

    static void fail(String message) {
        throw new IllegalArgumentException(message);
    }

    /** A target that returns exits with 0 and no failure. */
    @Test
    public void targetThatReturnsExitsWithZero() {
        within(60, "a child to run", () -> {
            SharedLong value = context.sharedLong(0);
            ChildProcess child = context.process(() -> value.set(42)).start();
            child.join();
            assertEquals(0, child.exitCode().getAsInt());
            assertTrue(child.failure().isEmpty());
            assertFalse(child.isAlive());
            assertEquals(42, value.get());
            return null;
        });
    }

    /** A target that throws exits with 1 and reports the exception. */
    @Test
    public void targetThatThrowsExitsWithOneAndReportsTheFailure() {
        within(60, "a failing child", () -> {
            ChildProcess child = context.process(() -> fail("target failed on purpose")).start();
            child.join();
            assertEquals(1, child.exitCode().getAsInt());
            Throwable failure = child.failure().orElseThrow();
            assertInstanceOf(IllegalArgumentException.class, failure);
            assertEquals("target failed on purpose", failure.getMessage());
            return null;
        });
    }

    /** join with a timeout returns false while the child runs; isAlive tracks it; pid is the child's own. */
    @Test
    public void joinWithTimeoutIsAliveAndPid() {
        within(60, "a waiting child", () -> {
            SharedEvent release = context.event();
            SharedLong reported = context.sharedLong(0);
            ChildProcess child = context.process(() -> {
                reported.set(ProcessHandle.current().pid());
                release.await();
            }).start();
            await(30, "the child to report its pid", () -> reported.get() != 0);
            assertFalse(child.join(100, TimeUnit.MILLISECONDS));
            assertTrue(child.isAlive());
            assertTrue(child.exitCode().isEmpty());
            assertEquals(reported.get(), child.pid());
            release.set();
            assertTrue(child.join(30, TimeUnit.SECONDS));
            assertFalse(child.isAlive());
            return null;
        });
    }

    /** Names and daemon flags can be set before start, not after; start runs once. */
    @Test
    public void nameDaemonAndStartOnce() {
        within(60, "child settings", () -> {
            ChildProcess child = context.process(() -> { });
            assertTrue(child.name().startsWith("process-"), child.name());
            assertFalse(child.isDaemon());
            child.name("worker-x").daemon(true);
            assertEquals("worker-x", child.name());
            assertTrue(child.isDaemon());
            assertThrows(IllegalStateException.class, child::pid);
            child.start();
            assertThrows(IllegalStateException.class, child::start);
            assertThrows(IllegalStateException.class, () -> child.name("late"));
            assertThrows(IllegalStateException.class, () -> child.daemon(false));
            child.join();
            return null;
        });
    }

    /** terminate() sends SIGTERM (exit 143), kill() SIGKILL (exit 137). */
    @Test
    public void terminateAndKillGiveSignalExitCodes() {
        within(60, "terminate and kill", () -> {
            SharedEvent never = context.event();
            SharedLong started = context.sharedLong(0);
            ChildProcess terminated = context.process(() -> {
                started.incrementAndGet();
                never.await();
            }).start();
            ChildProcess killed = context.process(() -> {
                started.incrementAndGet();
                never.await();
            }).start();
            await(30, "both children to start", () -> started.get() == 2);
            terminated.terminate();
            killed.kill();
            terminated.join();
            killed.join();
            assertEquals(143, terminated.exitCode().getAsInt());
            assertEquals(137, killed.exitCode().getAsInt());
            return null;
        });
    }

    /** Lines children print reach the parent's stdout whole, none lost. */
    @Test
    public void childOutputReachesTheParentLineIntact() throws Exception {
        Process parent = new ProcessBuilder(javaCommand(ChildOutputMain.class, List.of(), transportName())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try {
                    parent.getInputStream().transferTo(bytes);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return bytes.toString(StandardCharsets.UTF_8);
            });
            String text = within(90, "the output check to finish", () -> output.get());
            assertEquals(0, parent.waitFor());
            List<String> lines = text.lines().toList();
            assertEquals("DONE", lines.get(lines.size() - 1));
            assertEquals(ChildOutputMain.CHILDREN * ChildOutputMain.LINES + 1, lines.size());
            for (String line : lines.subList(0, lines.size() - 1)) {
                assertTrue(line.matches(ChildOutputMain.LINE_PATTERN), "mangled line: " + line);
            }
        } finally {
            parent.destroyForcibly();
        }
    }
}
