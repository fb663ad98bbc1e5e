package dev.multiproc;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What is known of a pool worker that died while it held work: which process it was, how it ended, whether it ran
 * out of memory, how long it lived, the work it held and the last lines it wrote to its standard error. A
 * {@link WorkerCrashedException} carries one for every worker its chunk of work killed.
 *
 * <p>Workers run with {@code -XX:+ExitOnOutOfMemoryError}: a worker that runs out of heap exits at once with status
 * 3 (after printing {@code Terminating due to java.lang.OutOfMemoryError} to its standard error), rather than going
 * on in a state nobody can trust, and its certificate says {@link #outOfMemory()}. A worker the operating system's
 * out-of-memory killer stops dies of {@code SIGKILL} (status 137), which this process cannot tell from any other
 * {@code kill -9}.
 *
 * @param worker the worker's name, e.g. {@code pool-1-worker-3}
 * @param pid the worker's process id (for a remote worker, on its own host)
 * @param exitStatus the exit status, {@code 128 + n} if signal {@code n} killed it, or -1 if unknown (a remote worker
 *        whose connection dropped)
 * @param outOfMemory true if the worker's JVM said it ran out of memory before it exited
 * @param lifetime how long the worker lived, from its launch (or a remote worker's connection) to its exit
 * @param tasksHeld the work it held when it died, first the chunk it was running, then those queued behind it
 * @param standardErrorTail the last lines of the worker's standard error (at most about 4 KiB; empty if it wrote
 *        nothing, or for a remote worker, whose standard error stays on its host)
 */
public record DeathCertificate(String worker, long pid, int exitStatus, boolean outOfMemory, Duration lifetime,
        List<String> tasksHeld, String standardErrorTail) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Checks and copies the components.
     *
     * @throws NullPointerException if {@code worker}, {@code lifetime}, {@code tasksHeld} or
     *         {@code standardErrorTail} is null
     */
    public DeathCertificate {
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(lifetime, "lifetime");
        tasksHeld = List.copyOf(tasksHeld);
        Objects.requireNonNull(standardErrorTail, "standardErrorTail");
    }

    /**
     * @return the number of the signal that killed the worker ({@code exitStatus - 128}), or 0 if it exited by
     *         itself or its status is unknown
     */
    public int signal() {
        return WorkerCrashedException.signalOf(exitStatus);
    }

    /**
     * @return one line: the worker, how it died, how long it lived and what it held, e.g. {@code pool-1-worker-3
     *         (pid 4242) died with exit status 137 (killed by SIGKILL) after 2.31 s, holding chunk 7 of a task (running)}
     */
    public String summary() {
        return worker + " (pid " + pid + ") died " + WorkerCrashedException.describe(exitStatus)
                + (outOfMemory ? ", out of memory" : "") + " after " + seconds(lifetime)
                + (tasksHeld.isEmpty() ? ", holding no work" : ", holding " + String.join(", ", tasksHeld));
    }

    /**
     * @return the {@linkplain #summary() summary}, followed by the end of the worker's standard error if it wrote any
     */
    @Override
    public String toString() {
        return summary() + (standardErrorTail.isEmpty() ? ""
                : "; the end of its standard error:\n" + standardErrorTail.indent(4).stripTrailing());
    }

    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis < 1000 ? millis + " ms" : String.format(java.util.Locale.ROOT, "%.2f s", millis / 1000.0);
    }
}
