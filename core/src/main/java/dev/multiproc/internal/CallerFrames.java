package dev.multiproc.internal;

import dev.multiproc.ChildStartException;
import dev.multiproc.MultiprocException;
import dev.multiproc.TaskFailedException;
import dev.multiproc.WorkerCrashedException;

/**
 * Gives an exception that was made on a transport or process-exit thread the stack of the thread that throws it:
 * a user who reads the trace of a failed {@code map} sees their own call, and the remote cause below it. The
 * exception is copied, never changed, since several callers may throw the same failure.
 */
public final class CallerFrames {
    private CallerFrames() {
    }

    /**
     * @param failure the failure as it was recorded
     * @return a copy made in the calling thread for multiproc's own failure types; {@code failure} itself for
     *         anything else
     */
    public static RuntimeException copy(RuntimeException failure) {
        RuntimeException copy = copyOf(failure);
        if (copy != failure) {
            for (Throwable suppressed : failure.getSuppressed()) {
                copy.addSuppressed(suppressed);
            }
        }
        return copy;
    }

    private static RuntimeException copyOf(RuntimeException failure) {
        if (failure instanceof TaskFailedException task) {
            return new TaskFailedException(task.worker(), task.getCause());
        }
        if (failure instanceof WorkerCrashedException crash) {
            return withCause(crash.deathCertificates().isEmpty()
                    ? new WorkerCrashedException(crash.worker(), crash.pid(), crash.exitStatus(), crash.detail())
                    : new WorkerCrashedException(crash.detail(), crash.deathCertificates()), crash.getCause());
        }
        if (failure instanceof ChildStartException start) {
            return withCause(new ChildStartException(start.child(), start.exitStatus(), start.standardError(),
                    start.detail()), start.getCause());
        }
        if (failure.getClass() == MultiprocException.class) {
            // a broken pool, a lost connection: the same words, the caller's frames, the same cause
            return new MultiprocException(failure.getMessage(), failure.getCause());
        }
        return failure;
    }

    private static RuntimeException withCause(RuntimeException copy, Throwable cause) {
        if (cause != null) {
            copy.initCause(cause);
        }
        return copy;
    }
}
