package dev.multiproc;

/**
 * The base of every exception multiproc throws on its own account (as opposed to exceptions of user code, which
 * arrive as the cause of a {@link TaskFailedException}).
 */
public class MultiprocException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong and what to do about it
     */
    public MultiprocException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and what to do about it
     * @param cause the underlying failure
     */
    public MultiprocException(String message, Throwable cause) {
        super(message, cause);
    }
}
