package dev.multiproc;

import java.io.Serializable;

/**
 * A long shared between processes, with atomic operations: Python's {@code Value('q')} plus what
 * {@code java.util.concurrent.atomic.AtomicLong} offers. Every operation is atomic across all processes of the
 * context, with volatile (sequentially consistent) semantics.
 *
 * <p>Serializable: pass it to a child, and there it is the same shared long. Thread- and process-safe.
 */
public interface SharedLong extends Serializable {
    /** @return the current value */
    long get();

    /** @param newValue the value to store */
    void set(long newValue);

    /**
     * @param newValue the value to store
     * @return the previous value
     */
    long getAndSet(long newValue);

    /**
     * @param delta the amount to add
     * @return the previous value
     */
    long getAndAdd(long delta);

    /**
     * Adds {@code delta} atomically; like {@link #getAndAdd}, one atomic operation.
     *
     * @param delta the amount to add
     * @return the updated value
     */
    default long addAndGet(long delta) {
        return getAndAdd(delta) + delta;
    }

    /**
     * Adds one atomically.
     *
     * @return the updated value
     */
    default long incrementAndGet() {
        return getAndAdd(1) + 1;
    }

    /**
     * Subtracts one atomically.
     *
     * @return the updated value
     */
    default long decrementAndGet() {
        return getAndAdd(-1) - 1;
    }

    /**
     * Adds one atomically.
     *
     * @return the previous value
     */
    default long getAndIncrement() {
        return getAndAdd(1);
    }

    /**
     * Sets the value to {@code newValue} if it is {@code expectedValue}.
     *
     * @param expectedValue the expected value
     * @param newValue the new value
     * @return true if the value was set
     */
    boolean compareAndSet(long expectedValue, long newValue);
}
