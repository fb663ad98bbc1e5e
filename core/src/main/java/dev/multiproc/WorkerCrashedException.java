package dev.multiproc;

/**
 * A worker process died while it held a task: killed by a signal, out of memory, {@code System.exit} in user code,
 * or a JVM crash. The message names the worker, its pid and its exit status. Only the tasks that worker held fail;
 * the pool replaces the worker and goes on.
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

    static String describe(int status) {
        if (status < 0) {
            return "with an unknown exit status";
        }
        if (status > 128 && status < 128 + 65) {
            int signal = status - 128;
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
