package dev.multiproc;

/**
 * An object could not be encoded for another process (it, or something it refers to, is not serializable), or
 * could not be decoded (a class is missing, or the deserialization filter refused it). When encoding fails the
 * message says which argument (or the task) and gives the path from it to the object that could not be encoded,
 * e.g. {@code Argument 2 cannot be sent to a worker. Cannot serialize an object of com.example.Order: value
 * (com.example.Order) -> field repo (com.example.Repo) is not Serializable.} Nothing has been sent when it is
 * thrown at submit time.
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
