package dev.multiproc;

import java.util.List;

/**
 * A worker process died while it held a task: killed by a signal, out of memory, {@code System.exit} in user code,
 * or a JVM crash. The message names the worker, its pid, its exit status and the end of its standard error; the
 * {@linkplain #deathCertificates() death certificates} give the same as data. Only the tasks that worker held fail;
 * the pool replaces the worker and goes on.
 *
 * <p>With {@link Pool.Builder#retries(int) retries}, a chunk whose worker died runs again on another worker, and the
 * call fails only once the chunk has killed {@code retries + 1} workers: then this exception carries a death
 * certificate for each, in the order they died, and the chunk is not run again (a poison task cannot take the pool's
 * workers down one after another for ever).
 */
public class WorkerCrashedException extends MultiprocException {
    private static final long serialVersionUID = 1L;

    /** The worker's name. */
    private final String worker;
    /** The worker's process id. */
    private final long pid;
    /** The worker's exit status, {@code 128 + n} if killed by signal {@code n}, or -1 if unknown. */
    private final int exitStatus;
    /** What the worker was doing. */
    private final String detail;
    /** One per worker the work killed, oldest first; empty if the exception was made without them. */
    private final List<DeathCertificate> deathCertificates;

    /**
     * @param worker the worker's name
     * @param pid the worker's process id
     * @param exitStatus the exit status, {@code 128 + n} for a process killed by signal {@code n}, or -1 if unknown
     * @param detail what the worker was doing
     */
    public WorkerCrashedException(String worker, long pid, int exitStatus, String detail) {
        super("Worker " + worker + " (pid " + pid + ") died " + describe(exitStatus) + " " + detail
                + "; the pool replaced it. If this repeats, look at the worker's standard error above and at"
                + " the task's memory use.");
        this.worker = worker;
        this.pid = pid;
        this.exitStatus = exitStatus;
        this.detail = detail;
        this.deathCertificates = List.of();
    }

    /**
     * @param detail what the last worker was doing, e.g. {@code while running chunk 3 of a task}
     * @param deathCertificates one for each worker the work killed, oldest first; at least one
     * @throws IllegalArgumentException if {@code deathCertificates} is empty
     */
    public WorkerCrashedException(String detail, List<DeathCertificate> deathCertificates) {
        super(message(detail, deathCertificates));
        DeathCertificate last = deathCertificates.get(deathCertificates.size() - 1);
        this.worker = last.worker();
        this.pid = last.pid();
        this.exitStatus = last.exitStatus();
        this.detail = detail;
        this.deathCertificates = List.copyOf(deathCertificates);
    }

    private static String message(String detail, List<DeathCertificate> deaths) {
        if (deaths.isEmpty()) {
            throw new IllegalArgumentException("a WorkerCrashedException needs at least one death certificate");
        }
        DeathCertificate last = deaths.get(deaths.size() - 1);
        StringBuilder message = new StringBuilder("Worker ").append(last.worker()).append(" (pid ").append(last.pid())
                .append(") died ").append(describe(last.exitStatus()))
                .append(last.outOfMemory() ? ", out of memory," : "").append(" after ")
                .append(DeathCertificate.seconds(last.lifetime())).append(' ').append(detail)
                .append("; the pool replaced it.");
        if (deaths.size() > 1) {
            message.append(" The same chunk had killed ").append(deaths.size() - 1)
                    .append(deaths.size() == 2 ? " worker" : " workers").append(" before, so it is not run again:");
            for (DeathCertificate death : deaths.subList(0, deaths.size() - 1)) {
                message.append("\n    ").append(death.summary());
            }
        }
        message.append(deaths.size() > 1 ? "\n" : " ").append(last.outOfMemory()
                ? "Give the workers more heap (-Xmx in -Dmultiproc.childJvmOptions) or make the task use less."
                : "If this repeats, look at what the task does to its process (System.exit, native code, memory).");
        if (!last.standardErrorTail().isEmpty()) {
            message.append("\nThe end of its standard error:\n")
                    .append(last.standardErrorTail().indent(4).stripTrailing());
        }
        return message.toString();
    }

    /**
     * @return a death certificate for each worker the failed work killed, oldest first (more than one when the
     *         pool's {@link Pool.Builder#retries(int) retries} ran it again); empty if this exception was made with
     *         {@link #WorkerCrashedException(String, long, int, String)}
     */
    public List<DeathCertificate> deathCertificates() {
        return deathCertificates;
    }

    /**
     * @return what the worker was doing when it died, as given to the constructor
     */
    public String detail() {
        return detail;
    }

    /**
     * @return the worker's name
     */
    public String worker() {
        return worker;
    }

    /**
     * @return the worker's process id
     */
    public long pid() {
        return pid;
    }

    /**
     * @return the worker's exit status ({@code 128 + n} for signal {@code n}), or -1 if it could not be read
     */
    public int exitStatus() {
        return exitStatus;
    }

    /** @return the signal that an exit status of {@code 128 + n} stands for, or 0 */
    static int signalOf(int status) {
        return status > 128 && status < 128 + 65 ? status - 128 : 0;
    }

    static String describe(int status) {
        if (status < 0) {
            return "with an unknown exit status";
        }
        int signal = signalOf(status);
        if (signal > 0) {
            String name = switch (signal) {
                case 9 -> "SIGKILL";
                case 15 -> "SIGTERM";
                case 6 -> "SIGABRT";
                case 11 -> "SIGSEGV";
                case 2 -> "SIGINT";
                case 1 -> "SIGHUP";
                default -> "signal " + signal;
            };
            return "with exit status " + status + " (killed by " + name + ")";
        }
        return "with exit status " + status;
    }
}
