package dev.multiproc;

import java.time.Duration;

/**
 * A pool task ran past its timeout ({@link Pool.Builder#taskTimeout(Duration)}). The call fails with this as soon as
 * the deadline passes; meanwhile the worker's thread that runs the task is interrupted, and if the task has not
 * returned within the pool's {@linkplain Pool.Builder#interruptGrace(Duration) grace period}, the worker process is
 * killed and replaced. Other tasks, on that worker or others, are not affected: those queued behind it run on
 * another worker if it is killed. A timed-out task is never retried ({@link Pool.Builder#retries(int)} is for
 * crashes).
 */
public class TaskTimeoutException extends MultiprocException {
    private static final long serialVersionUID = 1L;

    /** The worker's name. */
    private final String worker;
    /** The worker's process id. */
    private final long pid;
    /** The timeout the task ran past (for a chunk of several items: the timeout of one item). */
    private final Duration timeout;

    /**
     * @param worker the name of the worker that ran the task
     * @param pid the worker's process id
     * @param timeout the task timeout, per item
     * @param detail what ran past it, e.g. {@code "chunk 3 of a task (4 items, 8 s allowed)"}
     */
    public TaskTimeoutException(String worker, long pid, Duration timeout, String detail) {
        super("Worker " + worker + " (pid " + pid + ") ran " + detail + " past its timeout of " + format(timeout)
                + " per task; the task was interrupted, and the worker is killed and replaced if it does not return"
                + " within the pool's grace period. Give it more time (Pool.Builder.taskTimeout), or let it stop"
                + " when interrupted.");
        this.worker = worker;
        this.pid = pid;
        this.timeout = timeout;
    }

    /** @return e.g. {@code 300 ms}, {@code 2.5 s} */
    static String format(Duration duration) {
        if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
            return duration.toMillis() + " ms";
        }
        return java.math.BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
    }

    /**
     * @return the name of the worker that ran the task
     */
    public String worker() {
        return worker;
    }

    /**
     * @return the worker's process id
     */
    public long pid() {
        return pid;
    }

    /**
     * @return the task timeout the task ran past, per item of its chunk
     */
    public Duration timeout() {
        return timeout;
    }
}
