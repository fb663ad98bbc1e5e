package dev.multiproc;

import java.io.Serializable;

/**
 * A reference to a serializable value, shared between processes. Each process sees its own copy of the value:
 * {@link #get()} returns a fresh copy, and changing it changes nothing shared until it is {@link #set(Object) set}.
 * Each operation is atomic; use a {@link SharedLock} to make a read-modify-write atomic.
 *
 * <p>Serializable: pass it to a child, and there it is the same shared value. Thread- and process-safe.
 *
 * @param <T> the value type
 */
public interface SharedValue<T> extends Serializable {
    /**
     * @return a copy of the current value, or null
     */
    T get();

    /**
     * @param newValue the value to store; serializable, or null
     * @throws SerializationException if the value cannot be serialized
     */
    void set(T newValue);

    /**
     * @param newValue the value to store; serializable, or null
     * @return a copy of the previous value
     */
    T getAndSet(T newValue);
}
