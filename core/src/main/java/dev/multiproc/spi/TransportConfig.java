package dev.multiproc.spi;

import dev.multiproc.ContextOption;
import java.util.Map;
import java.util.Objects;

/**
 * Settings that core gives a transport when it opens.
 *
 * @param contextId a random id of the context, unique on this machine; use it to name files, sockets or segments
 * @param maxMessageSize the largest message a channel must carry, in bytes
 * @param options the {@linkplain ContextOption options} the context's builder set, by name; read them with
 *        {@link #get(ContextOption)}, which falls back to the system property and the default
 */
public record TransportConfig(String contextId, int maxMessageSize, Map<String, Object> options) {
    /**
     * Checks the settings.
     *
     * @param contextId a random id of the context, unique on this machine
     * @param maxMessageSize the largest message a channel must carry, in bytes
     * @param options the options the context's builder set, by name
     * @throws IllegalArgumentException if {@code maxMessageSize} is not positive
     */
    public TransportConfig {
        Objects.requireNonNull(contextId, "contextId");
        if (maxMessageSize <= 0) {
            throw new IllegalArgumentException("maxMessageSize must be positive: " + maxMessageSize);
        }
        options = Map.copyOf(options);
    }

    /**
     * Settings without options: every option comes from its system property or its default.
     *
     * @param contextId a random id of the context, unique on this machine
     * @param maxMessageSize the largest message a channel must carry, in bytes
     */
    public TransportConfig(String contextId, int maxMessageSize) {
        this(contextId, maxMessageSize, Map.of());
    }

    /**
     * @param option an option
     * @param <T> its type
     * @return the context's value of the option: the builder's, else its system property's, else its default
     *         (null if it has none)
     * @throws IllegalArgumentException if the system property holds an invalid value
     */
    public <T> T get(ContextOption<T> option) {
        Object value = options.get(option.name());
        return value != null ? option.type().cast(value) : option.fromSystemProperties();
    }
}
