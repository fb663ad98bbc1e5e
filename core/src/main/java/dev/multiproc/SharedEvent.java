package dev.multiproc;

import java.io.Serializable;
import java.util.concurrent.TimeUnit;

/**
 * A flag that processes wait for: Python's {@code Event}. Initially clear.
 *
 * <p>Serializable: pass it to a child, and there it is the same event. Thread- and process-safe.
 */
public interface SharedEvent extends Serializable {
    /** Sets the flag and wakes every waiter. */
    void set();

    /** Clears the flag. */
    void clear();

    /** @return true if the flag is set */
    boolean isSet();

    /**
     * Waits until the flag is set.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void await() throws InterruptedException;

    /**
     * Waits at most the given time for the flag to be set.
     *
     * @param timeout how long to wait
     * @param unit the unit of {@code timeout}
     * @return true if the flag is set, false if the time ran out
     * @throws InterruptedException if interrupted while waiting
     */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException;
}
