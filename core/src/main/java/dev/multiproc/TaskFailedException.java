package dev.multiproc;

/**
 * A task threw in a worker process. The {@linkplain #getCause() cause} is the remote exception: its original type
 * (or, if that type cannot be rebuilt here, a {@link RemoteThrowable} naming it), its message, and its stack trace
 * as it was in the worker. The pool that ran the task goes on working.
 */
public class TaskFailedException extends MultiprocException {
    private static final long serialVersionUID = 1L;

    /** The name of the process the task ran in, with its pid. */
    private final String worker;

    /**
     * @param worker the name of the process the task ran in
     * @param cause the remote exception, with its remote stack trace
     */
    public TaskFailedException(String worker, Throwable cause) {
        super("Task failed in " + worker + ": " + cause, cause);
        this.worker = worker;
    }

    /**
     * @return the name of the process the task ran in, with its pid, e.g. {@code "pool-1-worker-2 (pid 4242)"}
     */
    public String worker() {
        return worker;
    }
}
