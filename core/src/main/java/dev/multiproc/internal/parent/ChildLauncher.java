package dev.multiproc.internal.parent;

import dev.multiproc.internal.ContextImpl;
import dev.multiproc.internal.TransportRegistry;
import dev.multiproc.internal.WarmUp;
import dev.multiproc.internal.child.ChildMain;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Spawns child JVMs: the same Java, the parent's code reached as {@link ChildLaunch} says, {@link ChildMain} as the
 * main class, start-up-tuned flags. The child's standard error is a pipe that the parent reads
 * ({@link ChildErrorStream}), so that a child that fails to start can be reported with what it said.
 *
 * <p>Flags: {@value #DEFAULT_JVM_OPTIONS} by default, replaced as a whole by the system property
 * {@value #JVM_OPTIONS_PROPERTY} (space-separated). System properties whose names start with {@code multiproc.}
 * are passed on, so settings such as the deserialization filter hold in children too. Where the class path is all
 * jars, children also get a class-data-sharing archive of what a child loads, trained by the first child
 * ({@link ChildClassArchive}).
 */
public final class ChildLauncher {
    static final String JVM_OPTIONS_PROPERTY = "multiproc.childJvmOptions";
    /**
     * SerialGC and no perf-data file: cheaper start, no /tmp/hsperfdata file per child. CDS stays at its default
     * (on). The JIT compiles
     * a method after four times the usual number of calls: a child's start-up code runs a few times and was
     * otherwise compiled anyway (a third of a short child's CPU went to its compiler threads), while a task's hot
     * loop still reaches full speed after a few more milliseconds.
     */
    static final String DEFAULT_JVM_OPTIONS = "-XX:+UseSerialGC -XX:-UsePerfData -XX:CompileThresholdScaling=4";

    private ChildLauncher() {
    }

    /** @return this JVM's {@code java} executable, which children run too */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * @return the options every JVM that runs multiproc needs to start quietly on this JDK: protobuf-java (relocated
     *         into core's jar, but the same code) still reads arrays through sun.misc.Unsafe
     *         (protocolbuffers/protobuf#20760); from JDK 24 on, every JVM would print a four-line warning
     */
    public static List<String> quietStartOptions() {
        return Runtime.version().feature() >= 23 ? List.of("--sun-misc-unsafe-memory-access=allow") : List.of();
    }

    static List<String> jvmOptions() {
        String configured = System.getProperty(JVM_OPTIONS_PROPERTY, DEFAULT_JVM_OPTIONS).trim();
        List<String> options = new ArrayList<>(quietStartOptions()); // children are ours to configure
        // the JVM's own log warnings (a class-sharing archive it cannot map, say) to stderr, never to fd 1, which is
        // the pipe transport's protocol stream; DisplayVMOutputToStderr covers the rest of the VM's output
        options.add("-Xlog:disable");
        options.add("-Xlog:all=warning:stderr");
        // a child that records (JFR flags in its options) would otherwise announce it on stdout, whatever -Xlog says
        options.add("-Xlog:jfr+startup=error:stderr");
        // the VM's other messages to stderr too: ExitOnOutOfMemoryError's "Terminating due to ..." goes to stdout
        options.add("-XX:+DisplayVMOutputToStderr");
        // a child out of heap exits at once (status 3), rather than run on with whichever of its threads died (its
        // channel's reader among them: a worker that never answers again); its death certificate says why
        options.add("-XX:+ExitOnOutOfMemoryError");
        if (!configured.isEmpty()) {
            options.addAll(Arrays.asList(configured.split("\\s+")));
        }
        return options;
    }

    /**
     * Spawns a child JVM running {@code ChildMain}.
     *
     * @param secretLength the length of the secret the caller writes on the child's stdin before anything else
     */
    static Process spawn(ContextImpl context, String childId, String descriptor, int secretLength)
            throws IOException {
        ChildLaunch launch = context.childLaunch();
        List<String> command = new ArrayList<>(launch.command());
        List<String> jvmOptions = jvmOptions();
        command.addAll(jvmOptions);
        ChildClassArchive.Plan archive = launch.archiveClassPath() == null ? ChildClassArchive.Plan.NONE
                : ChildClassArchive.plan(jvmOptions, launch.archiveClassPath());
        command.addAll(archive.options());
        for (Map.Entry<Object, Object> property : System.getProperties().entrySet()) {
            String key = String.valueOf(property.getKey());
            if (key.startsWith("multiproc.") && !key.equals(JVM_OPTIONS_PROPERTY)) {
                command.add("-D" + key + "=" + property.getValue());
            }
        }
        for (Map.Entry<String, Object> option : context.options().entrySet()) {
            command.add("-D" + option.getKey() + "=" + option.getValue()); // after the system properties: it wins
        }
        command.addAll(launch.main());
        command.add(TransportRegistry.childClassName(context.transport()));
        command.add(context.id());
        command.add(childId);
        command.add(Integer.toString(context.maxMessageSize()));
        command.add(Integer.toString(secretLength));
        command.add(descriptor);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(context.transport().usesStandardStreams()
                        ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.PIPE);
        Process process = builder.start();
        archive.spawned(process);
        WarmUp.start(); // while the child's JVM starts, the parent gets ready for its Hello
        return process;
    }
}
