package dev.multiproc.spi;

import dev.multiproc.SharedLock;
import java.io.Serializable;
import java.nio.ByteBuffer;

/**
 * Memory that a transport maps into every process of a context (see {@link NativePrimitives#buffer(long)}); core
 * gives users a {@link dev.multiproc.SharedBuffer} over it and does every access itself, with
 * {@link java.lang.invoke.VarHandle}s for the atomic element operations and bulk copies for the rest, so a transport
 * implements only the mapping.
 *
 * <p>The object is {@link Serializable}: deserialized in another process of the same context (or attached by name,
 * see {@link Transport#attachBuffer(String)}), it maps the same memory there.
 */
public interface NativeBuffer extends Serializable {

    /**
     * @return the name under which {@link Transport#attachBuffer(String)} of this transport attaches the same
     *         memory: the transport's {@link Transport#name() name}, a colon, then whatever the transport needs
     */
    String name();

    /** @return the number of bytes of the buffer */
    long size();

    /**
     * The memory, mapped in this process: a direct buffer of exactly {@link #size()} bytes, its position 0 and its
     * limit its capacity, each byte shared with every other process that maps the buffer. Core reads and writes it
     * only with absolute operations, so one instance may be returned to every caller and every thread. Its start
     * must be 8-aligned in memory (a page-aligned mapping is), because core does atomic 8-byte operations on it.
     * Called before every operation, so that a buffer whose context has closed refuses to work: it must be cheap
     * (map once, then check a flag).
     *
     * @return the mapped memory
     * @throws IllegalStateException if the buffer's context has closed, or the memory cannot be mapped here
     */
    ByteBuffer memory();

    /**
     * @return the lock that goes with the buffer, made with it: the same lock in every process that maps the
     *         buffer, including a process that attached it by name
     */
    SharedLock lock();
}
