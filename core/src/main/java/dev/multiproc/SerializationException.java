package dev.multiproc;

/**
 * An object could not be encoded for another process (it, or something it refers to, is not serializable), or
 * could not be decoded (a class is missing, or the deserialization filter refused it). When encoding fails the
 * message gives the path from the submitted object to the one that could not be encoded, e.g. {@code argument 0
 * -> captured value 1 (com.example.OrderService) -> field repo (com.example.Repo)}. Nothing has been sent when it
 * is thrown at submit time.
 */
public class SerializationException extends MultiprocException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what could not be encoded or decoded, and what to do about it
     * @param cause the underlying failure
     */
    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
