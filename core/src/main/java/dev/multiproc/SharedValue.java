package dev.multiproc;

import java.io.Serializable;

/**
 * A reference to a serializable value, shared between processes. Each process sees its own copy of the value:
 * {@link #get()} returns a fresh copy, and changing it changes nothing shared until it is {@link #set(Object) set}.
 * Each operation is atomic; use a {@link SharedLock} to make a read-modify-write atomic.
 *
 * <p>Serializable: pass it to a child, and there it is the same shared value. Thread- and process-safe. On the
 * {@code shm} transport it is native: the encoded value lives in shared memory, a get is a copy out of it without a
 * message or a lock, and a process killed while it sets a value leaves the previous value whole. Elsewhere the
 * value is kept by the parent's hub. Every operation throws {@link IllegalStateException} once the context that
 * made the value has closed.
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
     * @throws IllegalArgumentException if the encoded value is larger than the transport's values hold; nothing was
     *         stored
     */
    void set(T newValue);

    /**
     * @param newValue the value to store; serializable, or null
     * @return a copy of the previous value
     * @throws SerializationException if the value cannot be serialized
     * @throws IllegalArgumentException if the encoded value is larger than the transport's values hold; nothing was
     *         stored
     */
    T getAndSet(T newValue);
}
