package dev.multiproc.spi;

import java.io.Serializable;

/**
 * The bytes of a {@link dev.multiproc.SharedValue} held by a transport on its own medium (see
 * {@link NativePrimitives#value(byte[])}); core encodes and decodes with the context's codec, checks sizes against
 * {@link NativePrimitives#maxValueSize()} before it calls here, and gives users a {@link dev.multiproc.SharedValue}.
 *
 * <p>Each operation is atomic with respect to every other, in every process of the context: a {@link #get()} never
 * returns bytes that no {@link #set} or {@link #getAndSet} stored whole (no torn values), and a value stored by one
 * {@code getAndSet} is returned by at most one other. A process killed in the middle of an operation must not stop
 * the others: a value it was storing is either stored whole or not at all.
 *
 * <p>The object is {@link Serializable}: deserialized in another process of the same context, it is the same value.
 * Thread- and process-safe.
 */
public interface NativeValue extends Serializable {

    /**
     * @return a copy of the bytes last stored, never null; the caller may keep and change it
     * @throws IllegalStateException if the value's context has closed
     */
    byte[] get();

    /**
     * Stores new bytes.
     *
     * @param value the bytes; the transport keeps no reference to the array
     * @throws IllegalStateException if the value's context has closed
     */
    void set(byte[] value);

    /**
     * Stores new bytes and returns the ones they replace, atomically.
     *
     * @param value the bytes; the transport keeps no reference to the array
     * @return a copy of the bytes replaced
     * @throws IllegalStateException if the value's context has closed
     */
    byte[] getAndSet(byte[] value);
}
