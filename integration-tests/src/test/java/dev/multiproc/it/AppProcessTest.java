package dev.multiproc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class AppProcessTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void aRunPastItsDeadlineIsKilledWithEveryProcessItStarted() throws Exception {
        AppProcess run = new AppProcess(List.of("sh", "-c", "echo started; sleep 297 & sleep 297"), dir,
                dir.resolve("run.log"));

        AppProcess.Outcome outcome = run.run(Duration.ofSeconds(1));

        assertEquals(OptionalInt.empty(), outcome.exitCode());
        assertTrue(outcome.problems().get(0).startsWith("still running after 1.0 s"), outcome.problems().toString());
        assertTrue(outcome.output().startsWith("started"), outcome.output());
        assertNoneAlive("sleep 297");
    }

    @Test
    @Timeout(120)
    void aJvmPastItsDeadlineIsThreadDumpedBeforeItIsKilled() throws Exception {
        Files.writeString(dir.resolve("Hang.java"),
                "class Hang { public static void main(String[] a) throws Exception { Thread.sleep(294_000); } }");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        AppProcess run = new AppProcess(List.of(java, "Hang.java"), dir, dir.resolve("run.log"));

        AppProcess.Outcome outcome = run.run(Duration.ofSeconds(5));

        assertEquals(OptionalInt.empty(), outcome.exitCode());
        assertTrue(outcome.output().contains("==== jcmd "), outcome.output());
        assertTrue(outcome.output().contains("Full thread dump"), outcome.output());
        assertNoneAlive("Hang.java");
    }

    @Test
    @Timeout(60)
    void childrenThatOutliveTheProcessAreReportedAndKilled() throws Exception {
        AppProcess run = new AppProcess(List.of("sh", "-c", "sleep 298 & sleep 1"), dir, dir.resolve("run.log"));

        AppProcess.Outcome outcome = run.run(Duration.ofSeconds(30));

        assertEquals(OptionalInt.of(0), outcome.exitCode());
        assertTrue(outcome.problems().get(0).startsWith("processes it started were still running"),
                outcome.problems().toString());
        assertNoneAlive("sleep 298");
    }

    @Test
    @Timeout(60)
    void aCleanRunHasItsExitCodeAndOutputAndNoProblems() throws Exception {
        AppProcess run = new AppProcess(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), dir,
                dir.resolve("run.log"));

        AppProcess.Outcome outcome = run.run(Duration.ofSeconds(30));

        assertEquals(OptionalInt.of(3), outcome.exitCode());
        assertEquals(List.of(), outcome.problems());
        assertEquals("out\nerr\n", outcome.output());
    }

    @Test
    void expectedLinesMustAppearWholeAndExactly() {
        String output = "[pipe] transport: pipe\n[pipe] map: sum of squares of 1..10 = 3850\r\nnoise\n";

        List<String> missing = ScenarioLines.missing(ScenarioLines.expected("pipe"), output);

        assertEquals(ScenarioLines.expected("pipe").subList(1, 4), missing);
        assertFalse(ScenarioLines.missing(List.of("noise"), output).contains("noise"));
    }

    /** Killed orphans belong to init, not to this JVM: look for them among all processes, by command line. */
    private static void assertNoneAlive(String commandLine) throws InterruptedException {
        List<Long> alive = List.of();
        for (int tries = 0; tries < 50; tries++) {
            alive = ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").endsWith(commandLine))
                    .map(ProcessHandle::pid).toList();
            if (alive.isEmpty()) {
                return;
            }
            Thread.sleep(100); // a killed process lingers until its parent reaps it; there is nothing to await
        }
        assertEquals(List.of(), alive, "processes running " + commandLine);
    }
}
