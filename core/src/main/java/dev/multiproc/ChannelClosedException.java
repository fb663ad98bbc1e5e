package dev.multiproc;

/**
 * The queue, pipe end or connection was closed (by this side, by the other side, or because the process on the
 * other side ended). Python's {@code EOFError} on {@code Connection.recv} and {@code ValueError} on a closed
 * {@code Queue}. Nothing that was sent before the close is lost: it can still be received.
 */
public class ChannelClosedException extends MultiprocException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message which channel was closed, and by whom
     */
    public ChannelClosedException(String message) {
        super(message);
    }
}
