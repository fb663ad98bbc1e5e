package dev.multiproc.transport.shm;

import static org.junit.jupiter.api.Assertions.*;

import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.SharedInt;
import dev.multiproc.tck.TckTimeouts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing of the shm transport outlives a crash: a parent killed with SIGKILL leaves its segments behind, and the
 * next context sweeps them; a child killed with SIGKILL leaves none; a closed context leaves none.
 */
@Timeout(120)
class ShmCrashRecoveryTest {
    @TempDir
    Path directory;
    private String previousDirectory;

    @BeforeEach
    void useOwnDirectory() {
        previousDirectory = System.setProperty(ShmTransport.DIRECTORY.name(), directory.toString());
    }

    @AfterEach
    void restoreDirectory() {
        if (previousDirectory == null) {
            System.clearProperty(ShmTransport.DIRECTORY.name());
        } else {
            System.setProperty(ShmTransport.DIRECTORY.name(), previousDirectory);
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().startsWith(ShmDirectory.PREFIX)).toList();
        }
    }

    @Test
    void segmentsOfAParentKilledWithSigkillAreSweptByTheNextContext() throws Exception {
        List<String> command = Multiproc.javaCommand(ShmCrashParentMain.class.getName(),
                List.of("-D" + ShmTransport.DIRECTORY.name() + "=" + directory));
        Process parent = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long childPid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(),
                StandardCharsets.UTF_8))) {
            String first = out.readLine();
            assertNotNull(first, "the crash parent printed nothing");
            childPid = Long.parseLong(first.trim());
            assertEquals("READY", out.readLine());
            List<Path> before = segments();
            assertTrue(before.stream().anyMatch(p -> p.toString().contains("-ch-")), "no channel segment: " + before);
            assertTrue(before.stream().anyMatch(p -> p.toString().contains("-cells-")), "no cells segment: " + before);
            parent.toHandle().destroyForcibly();
            assertTrue(parent.waitFor(TckTimeouts.seconds(10).toMillis(), TimeUnit.MILLISECONDS));
        }
        // the child follows its parent through the stdin lifeline
        long deadline = System.nanoTime() + TckTimeouts.seconds(10).toNanos();
        while (ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false)) {
            assertTrue(System.nanoTime() < deadline, "the child " + childPid + " outlived its killed parent");
            Thread.sleep(20);
        }
        assertFalse(segments().isEmpty(), "SIGKILL gave the parent no chance to delete its segments");

        try (Context context = Multiproc.context("shm")) {
            assertEquals("shm", context.transportName());
            List<Path> left = segments();
            assertTrue(left.stream().noneMatch(p -> p.toString().contains("-" + parent.pid() + "-")),
                    "segments of the dead parent survived the next context's start: " + left);
        }
        assertEquals(List.of(), segments());
    }

    /**
     * Issue 11, item 13: a parent that died but is not reaped yet (a zombie: its own parent does not wait for it)
     * is as dead as a reaped one; the next context sweeps its segments. The crash parent runs under a shell that
     * execs {@code sleep}, which never reaps it.
     */
    @Test
    @SuppressWarnings("try") // the context is opened for what its opening does: it sweeps
    void segmentsOfAZombieParentAreSwept() throws Exception {
        StringBuilder java = new StringBuilder("'" + Path.of(System.getProperty("java.home"), "bin", "java") + "'");
        if (Runtime.version().feature() >= 23) {
            java.append(" --sun-misc-unsafe-memory-access=allow");
        }
        java.append(" -D").append(ShmTransport.DIRECTORY.name()).append("='").append(directory).append("' -cp '")
                .append(System.getProperty("java.class.path")).append("' ").append(ShmCrashParentMain.class.getName());
        Process shell = new ProcessBuilder("sh", "-c", java + " & exec sleep 600")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(shell.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertNotNull(out.readLine(), "the crash parent printed nothing");
            assertEquals("READY", out.readLine());
            long parentPid = segments().stream().map(p -> p.getFileName().toString())
                    .map(name -> Long.parseLong(name.substring(ShmDirectory.PREFIX.length()).split("-")[0]))
                    .findFirst().orElseThrow(() -> new AssertionError("the crash parent made no segment"));
            assertEquals(0, new ProcessBuilder("kill", "-9", Long.toString(parentPid)).start().waitFor());
            Path stat = Path.of("/proc", Long.toString(parentPid), "stat");
            long deadline = System.nanoTime() + TckTimeouts.seconds(10).toNanos();
            while (!Files.readString(stat).substring(Files.readString(stat).lastIndexOf(')') + 2).startsWith("Z")) {
                assertTrue(System.nanoTime() < deadline, "the killed parent " + parentPid + " never became a zombie");
                Thread.sleep(10);
            }
            assertTrue(ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false),
                    "the JDK no longer calls a zombie alive: this test no longer tests anything");
            assertFalse(segments().isEmpty(), "SIGKILL gave the parent no chance to delete its segments");
            try (Context context = Multiproc.context("shm")) { // opening it is what sweeps
                List<Path> left = segments();
                assertTrue(left.stream().noneMatch(p -> p.toString().contains("-" + parentPid + "-")),
                        "segments of the zombie parent survived the next context's start: " + left);
            }
        } finally {
            shell.destroyForcibly(); // sleep goes, and init reaps the zombie
            shell.waitFor();
        }
        // its child follows it through the stdin lifeline, and its segments (if any) go with the next sweep
        try (Context context = Multiproc.context("shm")) {
            assertEquals("shm", context.transportName());
        }
    }

    @Test
    void aChildKilledWithSigkillLeavesNothingOnceTheContextCloses() throws Exception {
        try (Context context = Multiproc.context("shm")) {
            SharedInt started = context.sharedInt(0);
            ChildProcess child = context.process(() -> {
                started.set(1);
                Thread.sleep(120_000);
            }).start();
            long deadline = System.nanoTime() + TckTimeouts.seconds(20).toNanos();
            while (started.get() == 0) {
                assertTrue(System.nanoTime() < deadline, "the child never started");
                Thread.sleep(5);
            }
            child.kill();
            child.join();
            assertEquals(137, child.exitCode().getAsInt());
            assertEquals(1, started.incrementAndGet() - 1, "the shared int survives its child");
        }
        assertEquals(List.of(), segments());
    }

    @Test
    void aHandleUsedAfterItsContextClosedFailsClearly() throws Exception {
        SharedInt value;
        try (Context context = Multiproc.context("shm")) {
            value = context.sharedInt(5);
            assertEquals(5, value.get());
        }
        IllegalStateException refused = assertThrows(IllegalStateException.class, value::get);
        assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
    }

    @Test
    void segmentsOfLiveOwnersAreNotSwept() throws Exception {
        try (Context first = Multiproc.context("shm")) {
            SharedInt value = first.sharedInt(7);
            try (Context second = Multiproc.context("shm")) {
                assertEquals(7, value.get(), "a second context's sweep took the first one's live segment");
                second.sharedInt(1);
            }
            assertEquals(7, value.get());
        }
    }
}
