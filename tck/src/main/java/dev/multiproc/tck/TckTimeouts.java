package dev.multiproc.tck;

import java.time.Duration;

/**
 * Every deadline of the tck, scaled by one factor: the system property {@code multiproc.test.timeoutFactor} or the
 * environment variable {@code MULTIPROC_TEST_TIMEOUT_FACTOR}, whichever is larger (default 1). Raise it on slow or
 * shared machines. While the system property {@value #UNSCALED} is {@code true} in this JVM, the factor is 1: the
 * tck's own test sets it while it runs a contract against a deliberately broken transport that must fail by a
 * deadline, so that proving the failure does not take the factor's times longer.
 */
public final class TckTimeouts {
    /** The system property that turns scaling off in this JVM (see the class documentation). */
    public static final String UNSCALED = "multiproc.test.unscaledDeadlines";

    private TckTimeouts() {
    }

    /**
     * @return the scale factor: the larger of the property and the environment variable, at least 1; 1 while
     *         {@value #UNSCALED} is set
     */
    public static double factor() {
        if (Boolean.getBoolean(UNSCALED)) {
            return 1;
        }
        return Math.max(1, Math.max(parse(System.getProperty("multiproc.test.timeoutFactor")),
                parse(System.getenv("MULTIPROC_TEST_TIMEOUT_FACTOR"))));
    }

    private static double parse(String value) {
        try {
            return value == null || value.isBlank() ? 1 : Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /**
     * @param seconds the deadline on a quiet machine
     * @return the deadline, scaled
     */
    public static Duration seconds(double seconds) {
        return Duration.ofMillis((long) (seconds * 1000 * factor()));
    }

    /**
     * For the {@code (long, TimeUnit)} methods of the API: {@code get(TckTimeouts.millis(20), MILLISECONDS)}.
     *
     * @param seconds the deadline on a quiet machine
     * @return the deadline, scaled, in milliseconds
     */
    public static long millis(double seconds) {
        return seconds(seconds).toMillis();
    }
}
