package dev.multiproc.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one command as its own process under a hard deadline, its standard output and error merged into a log file,
 * and makes sure that nothing it started outlives it. A process still running at the deadline has every JVM of its
 * tree thread-dumped into the log (with {@code jcmd}) and is then killed with all its descendants.
 *
 * <p>Not thread-safe; one instance per run.
 */
final class AppProcess {
    /** How often the process tree is sampled, so that children that outlive the process can still be found. */
    private static final long SAMPLE_MILLIS = 100;

    /**
     * How a run ended.
     *
     * @param command the command that ran
     * @param exitCode its exit status; empty if it was killed at the deadline
     * @param took how long it ran
     * @param output its merged standard output and error, then any thread dumps and notes
     * @param log the file that holds {@code output}
     * @param problems what went wrong besides the exit status: the deadline, children that outlived it, leaked
     *        shared-memory segments (these only for a run that passed otherwise)
     */
    record Outcome(List<String> command, OptionalInt exitCode, Duration took, String output, Path log,
            List<String> problems) {
    }

    private final List<String> command;
    private final Path workDir;
    private final Path log;
    private final Set<ProcessHandle> tree = new LinkedHashSet<>();

    /**
     * @param command the command and its arguments
     * @param workDir the directory it runs in
     * @param log the file its output goes to (replaced)
     */
    AppProcess(List<String> command, Path workDir, Path log) {
        this.command = List.copyOf(command);
        this.workDir = workDir;
        this.log = log;
    }

    /**
     * Runs the command to its end or to {@code deadline}, whichever comes first.
     *
     * @param deadline how long it may run
     * @return how it ended
     * @throws IOException if it cannot be started or its log cannot be read
     * @throws InterruptedException if interrupted while waiting; the process tree is killed first
     */
    Outcome run(Duration deadline) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        process.getOutputStream().close(); // an application that reads standard input sees its end, as under a CI
        List<String> problems = new ArrayList<>();
        boolean exited = false;
        try {
            exited = awaitSampling(process, deadline);
            if (!exited) {
                problems.add("still running after " + seconds(deadline) + " s: killed, with every process it started;"
                        + " thread dumps at the end of " + log);
                appendThreadDumps(process);
            } else {
                List<Long> outlived = awaitExitOfTree(Deadlines.CHILDREN_EXIT);
                if (!outlived.isEmpty()) {
                    problems.add("processes it started were still running " + seconds(Deadlines.CHILDREN_EXIT)
                            + " s after it exited, and were killed: " + outlived);
                }
            }
        } finally {
            killTree(process); // a no-op for a tree that is already gone
        }
        OptionalInt exitCode = exited ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        List<String> leaked = new ArrayList<>(deleteSegmentsOf(process.pid()));
        tree.forEach(child -> leaked.addAll(deleteSegmentsOf(child.pid())));
        if (!leaked.isEmpty() && problems.isEmpty() && exitCode.orElse(-1) == 0) {
            problems.add("left shared-memory segments behind (deleted now): " + leaked);
        }
        return new Outcome(command, exitCode, took, Files.readString(log, StandardCharsets.UTF_8), log, problems);
    }

    private boolean awaitSampling(Process process, Duration deadline) throws InterruptedException {
        long until = System.nanoTime() + deadline.toNanos();
        do {
            process.descendants().forEach(tree::add);
            if (process.waitFor(SAMPLE_MILLIS, TimeUnit.MILLISECONDS)) {
                return true;
            }
        } while (System.nanoTime() < until);
        return false;
    }

    /** @return the pids of the processes it started that are still running after {@code grace} */
    private List<Long> awaitExitOfTree(Duration grace) throws InterruptedException {
        long until = System.nanoTime() + grace.toNanos();
        List<Long> running = new ArrayList<>();
        for (ProcessHandle child : tree) {
            try {
                child.onExit().get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                running.add(child.pid());
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot await the exit of process " + child.pid(), e);
            }
        }
        return running;
    }

    private void appendThreadDumps(Process process) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        // jcmd signals its target to attach: only JVMs may receive that.
        List<ProcessHandle> jvms = new ArrayList<>();
        if (isJava(process.toHandle())) {
            jvms.add(process.toHandle());
        }
        process.descendants().filter(AppProcess::isJava).forEach(jvms::add);
        for (ProcessHandle jvm : jvms) {
            Files.writeString(log, System.lineSeparator() + "==== jcmd " + jvm.pid() + " Thread.print ("
                    + jvm.info().commandLine().orElse("?") + ")" + System.lineSeparator(), StandardOpenOption.APPEND);
            if (!Files.isExecutable(jcmd)) {
                Files.writeString(log, "no jcmd in " + jcmd.getParent() + System.lineSeparator(),
                        StandardOpenOption.APPEND);
                continue;
            }
            Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(jvm.pid()), "Thread.print")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            if (!dump.waitFor(Deadlines.THREAD_DUMP.toMillis(), TimeUnit.MILLISECONDS)) {
                dump.destroyForcibly();
            }
        }
    }

    private static boolean isJava(ProcessHandle process) {
        return process.info().command().map(c -> c.endsWith("/java") || c.endsWith("\\java.exe")).orElse(false);
    }

    private void killTree(Process process) throws InterruptedException {
        process.descendants().forEach(tree::add);
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Deletes the shm transport's segments owned by {@code pid} (named {@code multiproc-<pid>-...} in /dev/shm). */
    private static List<String> deleteSegmentsOf(long pid) {
        Path shm = Path.of("/dev/shm");
        List<String> deleted = new ArrayList<>();
        if (!Files.isDirectory(shm)) {
            return deleted;
        }
        try (DirectoryStream<Path> segments = Files.newDirectoryStream(shm, "multiproc-" + pid + "-*")) {
            for (Path segment : segments) {
                Files.deleteIfExists(segment);
                deleted.add(segment.getFileName().toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not clean " + shm + " after process " + pid, e);
        }
        return deleted;
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
    }

    /** @return the last {@code count} lines of {@code text} */
    static List<String> tail(String text, int count) {
        List<String> lines = List.of(text.split("\\R"));
        return lines.subList(Math.max(0, lines.size() - count), lines.size());
    }
}
