package dev.multiproc;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A typed setting of one {@link Context}, named like the system property that is its fallback. A context takes
 * each option's value from, in order: {@link Context.Builder#option(ContextOption, Object)}; the system property of
 * the option's {@linkplain #name() name}; the option's default. The value is read when the context is built and
 * kept for its life, so two contexts in one JVM may differ; the context's children get the same values.
 *
 * <p>Core's own options are the constants of this class. A transport declares its own as constants of its
 * {@code Transport} class (for example the shared-memory transport's ring size), and reads them with
 * {@link dev.multiproc.spi.TransportConfig#get(ContextOption)}.
 *
 * <pre>{@code
 * try (Context context = Multiproc.contextBuilder()
 *         .option(ContextOption.POOL_PREFETCH, 4)
 *         .build()) { ... }
 * }</pre>
 *
 * @param <T> the value's type
 */
public final class ContextOption<T> {
    /** The default of {@link #HUB_MAX_BYTES}, computed when read. */
    private static final Object QUARTER_OF_HEAP = new Object();

    /**
     * The most bytes of queued items the parent's hub holds for a context's hub-backed queues; a {@code put} past it
     * waits for room. Hub-backed {@link SharedBuffer}s count against it too, for as long as their context lives, and
     * one that does not fit is refused; so do the contents of every {@link SharedMap} and {@link SharedList} (they
     * live in the parent on every transport), and a change that would take them past it throws
     * {@link IllegalStateException}, leaving the map or list as it was. Default: a quarter of the parent's maximum
     * heap. System property
     * {@code multiproc.hub.maxBytes}.
     */
    public static final ContextOption<Long> HUB_MAX_BYTES = new ContextOption<>("multiproc.hub.maxBytes", Long.class,
            QUARTER_OF_HEAP, 1, Long.MAX_VALUE);

    /**
     * How many short chunks a pool sends a worker ahead of the one it runs (only when chunks take under a
     * millisecond; longer ones go one at a time). Default 16. System property {@code multiproc.pool.prefetch}.
     */
    public static final ContextOption<Integer> POOL_PREFETCH = ofInt("multiproc.pool.prefetch", 16, 1, 4096);

    /**
     * How long, in microseconds, a thread waiting for the hub's answer spins before it parks (an answer within a
     * round trip then finds it running); 0 turns spinning off. Default 30. System property
     * {@code multiproc.spinMicros}.
     */
    public static final ContextOption<Integer> SPIN_MICROS = ofInt("multiproc.spinMicros", 30, 0, 1_000_000);

    private final String name;
    private final Class<T> type;
    /** The default, or {@link #QUARTER_OF_HEAP}; plain data rather than lambdas, read by every child at start-up. */
    private final Object defaultValue;
    private final long min;
    private final long max;

    private ContextOption(String name, Class<T> type, Object defaultValue, long min, long max) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = type;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
    }

    /**
     * An integer option.
     *
     * @param name the option's name, which is also its system property ({@code multiproc.} and the transport's
     *        name, by convention)
     * @param defaultValue the value when neither the context nor the system property sets one
     * @param min the smallest value accepted
     * @param max the largest value accepted
     * @return the option
     */
    public static ContextOption<Integer> ofInt(String name, int defaultValue, int min, int max) {
        return new ContextOption<>(name, Integer.class, defaultValue, min, max);
    }

    /**
     * A long option.
     *
     * @param name the option's name and system property
     * @param defaultValue the value when neither the context nor the system property sets one
     * @param min the smallest value accepted
     * @param max the largest value accepted
     * @return the option
     */
    public static ContextOption<Long> ofLong(String name, long defaultValue, long min, long max) {
        return new ContextOption<>(name, Long.class, defaultValue, min, max);
    }

    /**
     * A string option.
     *
     * @param name the option's name and system property
     * @param defaultValue the value when neither the context nor the system property sets one; null for none
     * @return the option
     */
    public static ContextOption<String> ofString(String name, String defaultValue) {
        return new ContextOption<>(name, String.class, defaultValue, 0, 0);
    }

    /**
     * A file-system path option, without a default.
     *
     * @param name the option's name and system property
     * @return the option
     */
    public static ContextOption<Path> ofPath(String name) {
        return new ContextOption<>(name, Path.class, null, 0, 0);
    }

    private long inRange(long value) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ": " + value);
        }
        return value;
    }

    /** @return the option's name, which is also the system property that sets it where a context does not */
    public String name() {
        return name;
    }

    /** @return the type of the option's values */
    public Class<T> type() {
        return type;
    }

    /**
     * Checks a value given for this option.
     *
     * @param value the value
     * @return the value
     * @throws IllegalArgumentException if it is null, of another type, or out of the option's range
     */
    public T check(Object value) {
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException(name + " takes a " + type.getSimpleName() + ", not "
                    + (value == null ? "null" : value.getClass().getName() + " " + value));
        }
        T typed = type.cast(value);
        parse(typed.toString()); // the same range checks as the system property's
        return typed;
    }

    /**
     * @param text a value as text, as in the system property
     * @return the value
     * @throws IllegalArgumentException if the text is not a valid value; the message names the option
     */
    public T parse(String text) {
        try {
            String trimmed = text.trim();
            Object value;
            if (type == Integer.class) {
                value = (int) inRange(Long.parseLong(trimmed));
            } else if (type == Long.class) {
                value = inRange(Long.parseLong(trimmed));
            } else if (type == Path.class) {
                value = Path.of(trimmed);
            } else {
                value = trimmed;
            }
            return type.cast(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad value for " + name + ": '" + text + "' (" + e.getMessage() + ")",
                    e);
        }
    }

    /**
     * @return the value of this option's system property in this JVM, or else its default (null if it has none)
     * @throws IllegalArgumentException if the system property is set to an invalid value
     */
    public T fromSystemProperties() {
        String text = System.getProperty(name);
        if (text != null && !text.isBlank()) {
            return parse(text);
        }
        return defaultValue == QUARTER_OF_HEAP ? type.cast(Runtime.getRuntime().maxMemory() / 4)
                : type.cast(defaultValue);
    }

    @Override
    public String toString() {
        return name;
    }
}
