package dev.multiproc;

/**
 * A peer sent something that is not the multiproc protocol: a frame over the maximum size, a corrupt frame, a
 * message of another protocol version. The channel it came on is closed; other channels are unaffected.
 */
public class ProtocolException extends MultiprocException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong with the frame and what to do about it
     */
    public ProtocolException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong with the frame and what to do about it
     * @param cause the underlying failure
     */
    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
