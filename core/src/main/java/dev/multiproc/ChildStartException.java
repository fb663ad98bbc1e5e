package dev.multiproc;

/**
 * A child JVM exited, or was killed, before it was ready to run anything: its JVM options are invalid, its class
 * path does not hold multiproc or the application, it could not connect to its parent, or a static initializer
 * threw. The message and {@link #standardError()} give the end of what the child wrote to its standard error,
 * which usually says which.
 *
 * <p>{@link ChildProcess#join()} throws it and {@link ChildProcess#failure()} holds it for a process that never
 * started; a pool whose workers cannot start fails its calls with it as the cause.
 */
public class ChildStartException extends MultiprocException {
    private static final long serialVersionUID = 1L;

    /** The child's name and pid. */
    private final String child;
    /** Its exit status. */
    private final int exitStatus;
    /** The end of its standard error. */
    private final String standardError;
    /** What else is known, or an empty string. */
    private final String detail;

    /**
     * @param child the child's name and pid, e.g. {@code process-3 (pid 4242)}
     * @param exitStatus its exit status ({@code 128 + n} if signal {@code n} killed it)
     * @param standardError the end of its standard error, possibly empty
     * @param detail what else is known (e.g. that it did not connect in time), or an empty string
     */
    public ChildStartException(String child, int exitStatus, String standardError, String detail) {
        super("Child " + child + " exited " + WorkerCrashedException.describe(exitStatus)
                + " before it was ready" + (detail.isEmpty() ? "" : " (" + detail + ")") + ". "
                + (standardError.isEmpty() ? "It wrote nothing to its standard error."
                        : "The end of its standard error:\n" + standardError.indent(4).stripTrailing())
                + "\nCheck -Dmultiproc.childJvmOptions and how children find the application's code (see"
                + " docs/launching.md: -Dmultiproc.child.classPath, -Dmultiproc.child.modulePath,"
                + " -Dmultiproc.child.command).");
        this.child = child;
        this.exitStatus = exitStatus;
        this.standardError = standardError;
        this.detail = detail;
    }

    /**
     * @return the child's name and pid
     */
    public String child() {
        return child;
    }

    /**
     * @return the child's exit status ({@code 128 + n} if signal {@code n} killed it)
     */
    public int exitStatus() {
        return exitStatus;
    }

    /**
     * @return the end of what the child wrote to its standard error (at most about 4 KiB), possibly empty
     */
    public String standardError() {
        return standardError;
    }

    /**
     * @return what else is known of the failure (e.g. that the child did not connect in time), or an empty string
     */
    public String detail() {
        return detail;
    }
}
