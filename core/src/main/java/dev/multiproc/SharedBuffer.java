package dev.multiproc;

import java.io.Serializable;

/**
 * A block of bytes shared between processes: Python's {@code multiprocessing.shared_memory.SharedMemory}. Every
 * process of the context that holds it reads and writes the same bytes; its typed views ({@link #asIntArray()},
 * {@link #asLongArray()}, {@link #asDoubleArray()}) give element-wise atomic access to them, as Python's
 * {@code Array} does.
 *
 * <p>Where it lives depends on the transport. On shared memory ({@code shm}) it is one mapping of a file in
 * {@code /dev/shm} that every process maps: reads and writes touch the memory itself, without a copy or a message,
 * and any process of the same user can attach it by {@linkplain #name() name} with {@link Multiproc#attachBuffer}.
 * On the other transports it lives in the parent's heap (within {@link ContextOption#HUB_MAX_BYTES}), and a bulk
 * read or write is a few range messages to the parent, never one per byte or element.
 *
 * <p>Memory order: {@link #get(long)} and {@link #set(long, byte)} of one byte, and every element operation of a
 * typed view, are atomic and have volatile semantics, as on {@link java.util.concurrent.atomic.AtomicIntegerArray}.
 * A bulk copy is not atomic as a whole: another process may see part of it. Make a reader wait for a writer with
 * the buffer's {@link #lock()} or another shared primitive (a queue message, an event): what a process wrote before
 * it released a lock or sent a message is visible to the process that took the lock or the message after it.
 *
 * <p>Byte order: the typed views store their elements little-endian, on every transport.
 *
 * <p>Lifetime: a buffer lives as long as its context; after the context closes, every operation throws
 * {@link IllegalStateException}, and on {@code shm} its file is deleted (or, after a crash, swept by the next
 * context). Serializable: pass it to a child, and there it is the same buffer. Thread- and process-safe.
 */
public interface SharedBuffer extends Serializable {

    /**
     * The name under which another process can attach this buffer with {@link Multiproc#attachBuffer(String)}, as
     * Python's {@code SharedMemory(name=...)}. On {@code shm} any process of the same user can; on the transports
     * whose buffers live in the parent's hub, only processes of the same context can.
     *
     * @return the buffer's name: where it lives and a colon (the transport's name, such as {@code shm:}, for memory
     *         the transport maps; {@code hub:} for a buffer in the parent's hub), then what locates it there
     */
    String name();

    /** @return the number of bytes in the buffer */
    long size();

    /**
     * @param offset the byte's offset, from 0 to {@code size() - 1}
     * @return the byte
     * @throws IndexOutOfBoundsException if {@code offset} is outside the buffer
     */
    byte get(long offset);

    /**
     * @param offset the byte's offset, from 0 to {@code size() - 1}
     * @param value the byte to store
     * @throws IndexOutOfBoundsException if {@code offset} is outside the buffer
     */
    void set(long offset, byte value);

    /**
     * Copies bytes out of the buffer: {@code length} bytes from {@code offset} into {@code dst} from
     * {@code dstOffset}. Not atomic as a whole (see the class documentation).
     *
     * @param offset where in the buffer to start
     * @param dst the array to copy into
     * @param dstOffset where in {@code dst} to start
     * @param length how many bytes to copy
     * @throws IndexOutOfBoundsException if a range is outside the buffer or the array
     */
    void get(long offset, byte[] dst, int dstOffset, int length);

    /**
     * Copies {@code dst.length} bytes from {@code offset} into {@code dst}.
     *
     * @param offset where in the buffer to start
     * @param dst the array to fill
     * @throws IndexOutOfBoundsException if the range is outside the buffer
     */
    default void get(long offset, byte[] dst) {
        get(offset, dst, 0, dst.length);
    }

    /**
     * Copies bytes into the buffer: {@code length} bytes of {@code src} from {@code srcOffset} to the buffer from
     * {@code offset}. Not atomic as a whole (see the class documentation).
     *
     * @param offset where in the buffer to start
     * @param src the array to copy from
     * @param srcOffset where in {@code src} to start
     * @param length how many bytes to copy
     * @throws IndexOutOfBoundsException if a range is outside the buffer or the array
     */
    void set(long offset, byte[] src, int srcOffset, int length);

    /**
     * Copies all of {@code src} into the buffer from {@code offset}.
     *
     * @param offset where in the buffer to start
     * @param src the bytes to copy
     * @throws IndexOutOfBoundsException if the range is outside the buffer
     */
    default void set(long offset, byte[] src) {
        set(offset, src, 0, src.length);
    }

    /**
     * @return a view of the whole buffer as ints ({@code size() / 4} of them; a remainder of bytes is left out),
     *         sharing its bytes and its lock
     */
    SharedIntArray asIntArray();

    /**
     * @param offset where in the buffer the view starts, a multiple of 4
     * @param length the number of ints in the view
     * @return a view of {@code length} ints from {@code offset}, sharing the buffer's bytes and lock
     * @throws IllegalArgumentException if {@code offset} is not a multiple of 4
     * @throws IndexOutOfBoundsException if the view does not fit in the buffer
     */
    SharedIntArray asIntArray(long offset, int length);

    /**
     * @return a view of the whole buffer as longs ({@code size() / 8} of them), sharing its bytes and its lock
     */
    SharedLongArray asLongArray();

    /**
     * @param offset where in the buffer the view starts, a multiple of 8
     * @param length the number of longs in the view
     * @return a view of {@code length} longs from {@code offset}, sharing the buffer's bytes and lock
     * @throws IllegalArgumentException if {@code offset} is not a multiple of 8
     * @throws IndexOutOfBoundsException if the view does not fit in the buffer
     */
    SharedLongArray asLongArray(long offset, int length);

    /**
     * @return a view of the whole buffer as doubles ({@code size() / 8} of them), sharing its bytes and its lock
     */
    SharedDoubleArray asDoubleArray();

    /**
     * @param offset where in the buffer the view starts, a multiple of 8
     * @param length the number of doubles in the view
     * @return a view of {@code length} doubles from {@code offset}, sharing the buffer's bytes and lock
     * @throws IllegalArgumentException if {@code offset} is not a multiple of 8
     * @throws IndexOutOfBoundsException if the view does not fit in the buffer
     */
    SharedDoubleArray asDoubleArray(long offset, int length);

    /**
     * The lock that goes with this buffer (Python's {@code Array(..., lock=True).get_lock()}): for updates of
     * several bytes or elements that readers must see whole. Made with the buffer, non-reentrant, crash-safe like
     * every {@link SharedLock}; nothing takes it unless your code does.
     *
     * @return the buffer's lock, the same one in every process and every view
     */
    SharedLock lock();
}
