package dev.multiproc.spi;

/**
 * Settings that core gives a transport when it opens.
 *
 * @param contextId a random id of the context, unique on this machine; use it to name files, sockets or segments
 * @param maxMessageSize the largest message a channel must carry, in bytes
 */
public record TransportConfig(String contextId, int maxMessageSize) {
    /**
     * Checks the settings.
     *
     * @param contextId a random id of the context, unique on this machine
     * @param maxMessageSize the largest message a channel must carry, in bytes
     * @throws IllegalArgumentException if {@code maxMessageSize} is not positive
     */
    public TransportConfig {
        if (maxMessageSize <= 0) {
            throw new IllegalArgumentException("maxMessageSize must be positive: " + maxMessageSize);
        }
    }
}
