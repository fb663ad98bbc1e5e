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
     * @param delta the amount to add
     * @return the updated value
     */
    long addAndGet(long delta);

    /** @return the updated value */
    long incrementAndGet();

    /** @return the updated value */
    long decrementAndGet();

    /** @return the previous value */
    long getAndIncrement();

    /**
     * Sets the value to {@code newValue} if it is {@code expectedValue}.
     *
     * @param expectedValue the expected value
     * @param newValue the new value
     * @return true if the value was set
     */
    boolean compareAndSet(long expectedValue, long newValue);
}
