package dev.multiproc;

import java.io.Serializable;

/**
 * An int shared between processes, with atomic operations: Python's {@code Value('i')} plus what
 * {@code java.util.concurrent.atomic.AtomicInteger} offers. Every operation is atomic across all processes of the
 * context, with volatile (sequentially consistent) semantics.
 *
 * <p>Serializable: pass it to a child, and there it is the same shared int. Thread- and process-safe.
 */
public interface SharedInt extends Serializable {
    /** @return the current value */
    int get();

    /** @param newValue the value to store */
    void set(int newValue);

    /**
     * @param newValue the value to store
     * @return the previous value
     */
    int getAndSet(int newValue);

    /**
     * @param delta the amount to add
     * @return the previous value
     */
    int getAndAdd(int delta);

    /**
     * Adds {@code delta} atomically; like {@link #getAndAdd}, one atomic operation.
     *
     * @param delta the amount to add
     * @return the updated value
     */
    default int addAndGet(int delta) {
        return getAndAdd(delta) + delta;
    }

    /**
     * Adds one atomically.
     *
     * @return the updated value
     */
    default int incrementAndGet() {
        return getAndAdd(1) + 1;
    }

    /**
     * Subtracts one atomically.
     *
     * @return the updated value
     */
    default int decrementAndGet() {
        return getAndAdd(-1) - 1;
    }

    /**
     * Adds one atomically.
     *
     * @return the previous value
     */
    default int getAndIncrement() {
        return getAndAdd(1);
    }

    /**
     * Sets the value to {@code newValue} if it is {@code expectedValue}.
     *
     * @param expectedValue the expected value
     * @param newValue the new value
     * @return true if the value was set
     */
    boolean compareAndSet(int expectedValue, int newValue);
}
