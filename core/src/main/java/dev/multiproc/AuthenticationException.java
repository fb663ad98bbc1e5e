package dev.multiproc;

/**
 * The process at the other end of a connection did not prove that it knows the authentication key, or refused the
 * proof of this one: the keys differ, or the peer is not who it should be. Python's
 * {@code multiprocessing.AuthenticationError}.
 *
 * <p>Thrown by {@link Multiproc#connect} when the listener's key differs, and by {@link Listener#accept()} for a
 * client whose key differs (the listener goes on: the next {@code accept} serves the next client). Nothing that the
 * peer sent has been deserialized.
 */
public class AuthenticationException extends MultiprocException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message who failed to authenticate, and what to check
     */
    public AuthenticationException(String message) {
        super(message);
    }
}
