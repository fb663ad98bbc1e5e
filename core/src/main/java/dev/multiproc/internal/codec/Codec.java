package dev.multiproc.internal.codec;

/**
 * Turns user objects (tasks, arguments, results, queue items, exceptions) into bytes and back. The same codec runs
 * in the parent and in every child of a context.
 *
 * <p>The default writes plain data (boxed primitives, strings, primitive arrays, the JDK's common collections,
 * serializable records, protobuf messages) in a compact binary format and everything else with Java serialization;
 * both are guarded on decode by an {@link java.io.ObjectInputFilter} (see the user guide and docs/codec.md). A codec
 * is never fed bytes from a peer that has not been authenticated.
 *
 * <p>Implementations must be thread-safe.
 */
public interface Codec {

    /**
     * @param value the object, or null
     * @return its encoding
     * @throws dev.multiproc.SerializationException if the object (or something it refers to) cannot be encoded; the
     *         message names it
     */
    byte[] encode(Object value);

    /**
     * @param bytes an encoding made by {@link #encode(Object)} of the same codec, in this or another process
     * @return the object
     * @throws dev.multiproc.SerializationException if the bytes cannot be decoded (a class is missing here, or the
     *         filter refused one)
     */
    Object decode(byte[] bytes);
}
