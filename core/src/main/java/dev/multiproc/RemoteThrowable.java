package dev.multiproc;

/**
 * Stands in for an exception from another process whose class cannot be rebuilt in this one (it is not on this
 * class path, it is not serializable, or the deserialization filter refused it). It carries the original class
 * name, message and stack trace, and the remote cause chain as its own causes.
 */
public final class RemoteThrowable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The binary name of the original exception class. */
    private final String remoteClassName;

    /**
     * @param remoteClassName the binary name of the original exception class
     * @param message the original message, or null
     * @param stackTrace the original stack trace
     * @param cause the original cause, rebuilt the same way, or null
     */
    public RemoteThrowable(String remoteClassName, String message, StackTraceElement[] stackTrace, Throwable cause) {
        super(message, cause);
        this.remoteClassName = remoteClassName;
        setStackTrace(stackTrace);
    }

    /**
     * @return the binary name of the original exception class
     */
    public String remoteClassName() {
        return remoteClassName;
    }

    /** @return the original exception's class name and message, as its own {@code toString()} would have been */
    @Override
    @SuppressWarnings("OverrideThrowableToString") // on purpose: stack traces show the remote class, not ours
    public String toString() {
        String message = getLocalizedMessage();
        return message == null ? remoteClassName : remoteClassName + ": " + message;
    }
}
