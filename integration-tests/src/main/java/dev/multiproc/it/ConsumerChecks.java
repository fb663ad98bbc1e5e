package dev.multiproc.it;

import dev.multiproc.it.AppProcess.Outcome;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the consumer applications' {@code verify.groovy} scripts call once the invoker has built them. Both checks
 * throw an {@link AssertionError} whose message is the whole report (the invoker prints it as the reason the project
 * failed): per failed run, how it ended, the scenario's lines it printed (a failed step says why on its line), the
 * lines it should have printed and did not, and the tail of its output.
 */
public final class ConsumerChecks {
    private static final int TAIL_LINES = 40;
    private static final int ERROR_LINES = 12;
    private static final Pattern STACK_FRAME = Pattern.compile("\\s+(at |\\.\\.\\. \\d+ more)");
    private static final Pattern MAVEN_LOG_LINE = Pattern.compile("\\[(INFO|ERROR|WARNING|DEBUG)\\]");
    /** How a JVM (a child that failed to start among them) or Maven reports a problem: the lines to show first. */
    private static final Pattern ERROR_LINE =
            Pattern.compile("Error: |Exception in thread |Caused by: |\\[ERROR\\] Failed to execute goal ");

    private ConsumerChecks() {
    }

    /**
     * Runs a built application as its own process, {@code java JAVA_ARGS TRANSPORT} in {@code basedir}, once per
     * transport of {@link ScenarioLines#transports()}, each under {@link Deadlines#RUN}, and checks that each run
     * printed every line of the scenario, exited with 0 and left nothing behind. The java is the one running this
     * build. Each run's full output is kept in {@code target/run-TRANSPORT.log}.
     *
     * @param basedir the consumer project
     * @param javaArgs the java command's arguments before the transport's name, e.g. {@code -jar target/app.jar}
     * @param extraLines lines the application prints besides the scenario's, each exactly
     * @throws AssertionError if any run failed
     * @throws IOException if a run cannot be started or its output read
     * @throws InterruptedException if interrupted; the running application is killed first
     */
    public static void launched(File basedir, List<String> javaArgs, List<String> extraLines)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> reports = new ArrayList<>();
        List<String> transports = ScenarioLines.transports();
        for (String transport : transports) {
            List<String> command = new ArrayList<>();
            command.add(java);
            command.addAll(javaArgs);
            command.add(transport);
            Path log = basedir.toPath().resolve("target").resolve("run-" + transport + ".log");
            Outcome outcome = new AppProcess(command, basedir.toPath(), log).run(Deadlines.RUN);
            List<String> expected = new ArrayList<>(extraLines);
            expected.addAll(ScenarioLines.expected(transport));
            List<String> missing = ScenarioLines.missing(expected, outcome.output());
            boolean passed = missing.isEmpty() && outcome.problems().isEmpty() && outcome.exitCode().orElse(-1) == 0;
            String ended = outcome.exitCode().isPresent() ? "exit code " + outcome.exitCode().getAsInt() : "killed";
            System.out.println(basedir.getName() + " [" + transport + "] " + (passed ? "passed" : "FAILED") + ": "
                    + ended + " after " + AppProcess.seconds(outcome.took()) + " s");
            if (!passed) {
                StringBuilder report = new StringBuilder();
                report.append("--- ").append(display(command)).append("   (in ").append(basedir).append(")\n");
                report.append("  ").append(ended).append(" after ").append(AppProcess.seconds(outcome.took()))
                        .append(" s\n");
                outcome.problems().forEach(problem -> report.append("  ").append(problem).append('\n'));
                describe(report, expected, missing, outcome.output(), basedir.toPath().relativize(log));
                reports.add(report.toString());
            }
        }
        if (!reports.isEmpty()) {
            throw new AssertionError(basedir.getName() + ": " + reports.size() + " of " + transports.size()
                    + " runs failed\n" + String.join("", reports));
        }
    }

    /**
     * Checks the build log of an application that ran inside the consumer's Maven build (exec:java, Surefire with
     * forkCount=0): every line of the scenario for every transport of {@link ScenarioLines#transports()}, and the
     * extra lines, must be in it. The invoker has already failed the project if that build failed; this check runs
     * anyway, so that the report says which steps failed.
     *
     * @param basedir the consumer project, whose build.log the invoker wrote
     * @param extraLines lines the build prints besides the scenario's, each exactly
     * @throws AssertionError if a line is missing
     * @throws IOException if build.log cannot be read
     */
    public static void ranInMaven(File basedir, List<String> extraLines) throws IOException {
        Path buildLog = basedir.toPath().resolve("build.log");
        String output = Files.readString(buildLog, StandardCharsets.UTF_8);
        List<String> expected = new ArrayList<>(extraLines);
        for (String transport : ScenarioLines.transports()) {
            expected.addAll(ScenarioLines.expected(transport));
        }
        List<String> missing = ScenarioLines.missing(expected, output);
        System.out.println(basedir.getName() + " (in Maven's JVM) " + (missing.isEmpty() ? "passed" : "FAILED"));
        if (!missing.isEmpty()) {
            StringBuilder report = new StringBuilder(basedir.getName()).append(": the build's output lacks ")
                    .append(missing.size()).append(" of the ").append(expected.size()).append(" expected lines\n");
            describe(report, expected, missing, output, Path.of("build.log"));
            throw new AssertionError(report.toString());
        }
    }

    private static void describe(StringBuilder report, List<String> expected, List<String> missing, String output,
            Path fullOutput) {
        // The scenario's lines, and the application's own, all start with "[name] "; Maven's with its log level.
        List<String> printed = output.lines().filter(line -> line.startsWith("[")
                && !MAVEN_LOG_LINE.matcher(line).lookingAt()).toList();
        if (!printed.isEmpty()) {
            report.append("  it printed:\n");
            printed.forEach(line -> report.append("    ").append(line).append('\n'));
        }
        List<String> errors = output.lines().filter(line -> ERROR_LINE.matcher(line).lookingAt()).distinct()
                .limit(ERROR_LINES).toList();
        if (!errors.isEmpty()) {
            report.append("  errors it printed (each once):\n");
            errors.forEach(line -> report.append("    ").append(line).append('\n'));
        }
        if (!missing.isEmpty()) {
            report.append("  missing ").append(missing.size()).append(" of ").append(expected.size())
                    .append(" expected lines:\n");
            missing.forEach(line -> report.append("    ").append(line).append('\n'));
        }
        // Stack frames (Maven prints the exec:java failure's, the scenario prints each failed step's) would fill
        // the tail; the lines that say what happened are the others.
        String withoutFrames = String.join("\n", output.lines().filter(line -> !STACK_FRAME.matcher(line).lookingAt())
                .toList());
        report.append("  last ").append(TAIL_LINES).append(" lines of its output, stack frames left out (all of it in ")
                .append(fullOutput).append("):\n");
        AppProcess.tail(withoutFrames, TAIL_LINES).forEach(line -> report.append("    | ").append(line).append('\n'));
    }

    /** The command as a person would type it: {@code java} for the full path, long class paths abridged. */
    private static String display(List<String> command) {
        List<String> shown = new ArrayList<>();
        shown.add("java");
        for (String arg : command.subList(1, command.size())) {
            shown.add(arg.length() > 120 && arg.contains(File.pathSeparator)
                    ? "<" + arg.split(File.pathSeparator).length + " class path entries>"
                    : arg);
        }
        return String.join(" ", shown);
    }
}
