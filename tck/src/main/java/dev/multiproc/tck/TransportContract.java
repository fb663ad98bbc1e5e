package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.ThrowingSupplier;

/**
 * The base of every contract: one {@link Context} per test on the transport under test, closed after it within a
 * deadline, and helpers for deadlines that dump threads and child processes when they run out.
 *
 * <p>Tasks used by contracts are static methods or lambdas that capture only serializable locals: never the test
 * instance.
 */
public abstract class TransportContract {
    /** The context of the current test. */
    protected Context context;

    /** For subclasses: the contracts, and a transport's own tests. */
    protected TransportContract() {
    }

    /** @return the name of the transport under test, as given to {@code Multiproc.context(name)} */
    protected abstract String transportName();

    /** @return the largest message this transport carries; contracts that need more are skipped */
    protected int maxMessageSize() {
        return 64 << 20;
    }

    /** Opens the test's context. */
    @BeforeEach
    void openContext() {
        context = Multiproc.context(transportName());
    }

    /** Closes the test's context, within a deadline. */
    @AfterEach
    void closeContext() {
        if (context != null) {
            Context closing = context;
            context = null;
            within(30, "closing the Context", () -> {
                closing.close();
                return null;
            });
        }
    }

    /**
     * Runs {@code action} with a hard deadline; on time-out, dumps threads and live children to stderr and fails.
     *
     * @param seconds the deadline on a quiet machine (scaled by {@link TckTimeouts})
     * @param what what is being waited for, for the failure message
     * @param action the action
     * @param <T> its result type
     * @return its result
     */
    protected static <T> T within(double seconds, String what, ThrowingSupplier<T> action) {
        Duration deadline = TckTimeouts.seconds(seconds);
        try {
            return assertTimeoutPreemptively(deadline, action, () -> {
                dumpState();
                return what + " took longer than " + deadline;
            });
        } catch (Error e) {
            throw e;
        }
    }

    /**
     * Waits until {@code condition} holds, polling, within a deadline.
     *
     * @param seconds the deadline on a quiet machine (scaled)
     * @param what what is awaited, for the failure message
     * @param condition the condition
     */
    protected static void await(double seconds, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TckTimeouts.seconds(seconds).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                dumpState();
                fail("timed out after " + TckTimeouts.seconds(seconds) + " waiting for " + what);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    /**
     * The command that runs {@code main} in a fresh JVM: this JVM's java and class path.
     *
     * @param main the main class
     * @param jvmOptions options before the class name, e.g. {@code -Dmultiproc.transport=pipe}
     * @param args the program's arguments
     * @return the command line
     */
    protected static List<String> javaCommand(Class<?> main, List<String> jvmOptions, String... args) {
        return Multiproc.javaCommand(main.getName(), jvmOptions, args);
    }

    /** Prints this JVM's threads and its live child processes, for post-mortems of a time-out. */
    protected static void dumpState() {
        StringBuilder dump = new StringBuilder("==== multiproc tck: deadline passed; threads:\n");
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            dump.append(info);
        }
        dump.append("==== live child processes:\n");
        ProcessHandle.current().descendants().forEach(child -> dump.append("  pid ").append(child.pid()).append(' ')
                .append(child.info().commandLine().orElse("?")).append('\n'));
        System.err.println(dump);
    }
}
