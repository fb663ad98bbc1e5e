package dev.multiproc.it;

import java.time.Duration;

/**
 * The deadlines of the integration tests, scaled like the tck's by the larger of the system property
 * {@code multiproc.test.timeoutFactor} and the environment variable {@code MULTIPROC_TEST_TIMEOUT_FACTOR}
 * (default 1). The consumer applications read the same factor for their own, per-step deadlines.
 */
final class Deadlines {
    /**
     * One run of a consumer application: JVM start, four steps and the close on one transport. A healthy run takes a
     * few seconds; the application gives up on a step after 20 s (scaled), so this is the backstop for a JVM that
     * hangs beyond its own deadlines, e.g. in a shutdown hook.
     */
    static final Duration RUN = scaled(Duration.ofSeconds(150));

    /**
     * How long the processes an application started may take to exit once it has: a child notices its parent's end
     * when its pipe or lifeline closes, so a little after it.
     */
    static final Duration CHILDREN_EXIT = scaled(Duration.ofSeconds(5));

    /** How long a thread dump of one JVM may take once a run has passed its deadline. */
    static final Duration THREAD_DUMP = Duration.ofSeconds(15);

    private Deadlines() {
    }

    static double factor() {
        return Math.max(1, Math.max(parse(System.getProperty("multiproc.test.timeoutFactor")),
                parse(System.getenv("MULTIPROC_TEST_TIMEOUT_FACTOR"))));
    }

    static Duration scaled(Duration quiet) {
        return Duration.ofMillis((long) (quiet.toMillis() * factor()));
    }

    private static double parse(String value) {
        try {
            return value == null || value.isBlank() ? 1 : Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
