package dev.multiproc.spi;

import dev.multiproc.BarrierAction;
import dev.multiproc.SharedBarrier;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedLock;
import dev.multiproc.SharedLong;
import java.time.Duration;
import java.util.Optional;

/**
 * Shared primitives that a transport implements on its own medium, where that beats core's hub (which holds the
 * state in the parent and turns each operation into a message round trip). Each method may decline by returning
 * an empty Optional; core then uses the hub's implementation.
 *
 * <p>An object returned here must be {@link java.io.Serializable} and, when deserialized in a child of the same
 * context, must become a working handle to the same shared state. It must honour the interface's contract in full,
 * including the crash rules (a lock whose holder dies is released). Everything it holds is released when the
 * {@link ParentTransport} closes.
 */
public interface NativePrimitives {

    /** Implements nothing natively. */
    NativePrimitives NONE = new NativePrimitives() {
    };

    /**
     * @param initialValue the initial value
     * @return a native shared int, or empty to use the hub's
     */
    default Optional<SharedInt> sharedInt(int initialValue) {
        return Optional.empty();
    }

    /**
     * @param initialValue the initial value
     * @return a native shared long, or empty to use the hub's
     */
    default Optional<SharedLong> sharedLong(long initialValue) {
        return Optional.empty();
    }

    /**
     * @param reentrant whether the lock is reentrant
     * @return a native lock, or empty to use the hub's
     */
    default Optional<SharedLock> lock(boolean reentrant) {
        return Optional.empty();
    }

    /**
     * @param permits the initial number of permits, at least 0
     * @return a native counting semaphore, or empty to use the hub's
     */
    default Optional<dev.multiproc.SharedSemaphore> semaphore(int permits) {
        return Optional.empty();
    }

    /**
     * @return a native event, initially clear, or empty to use the hub's
     */
    default Optional<dev.multiproc.SharedEvent> event() {
        return Optional.empty();
    }

    /**
     * Makes a barrier. Core has checked the arguments (at least one party; an action that serializes and that
     * children can load) before it asks. The barrier must honour {@link SharedBarrier}'s contract in
     * full, crash rules included: a party whose process dies while it waits, or while it runs the action, breaks
     * the barrier for the others.
     *
     * @param parties the number of parties that trip the barrier, at least 1
     * @param action run once per trip by the last party to arrive, before the others are released; or null
     * @param timeout the timeout of {@link SharedBarrier#await()}, or null for none
     * @return a native barrier, or empty to use the hub's
     */
    default Optional<SharedBarrier> barrier(int parties, BarrierAction action, Duration timeout) {
        return Optional.empty();
    }

    /**
     * @param duplex true for a pipe that carries messages both ways; false for one that carries them from the
     *        right end to the left end only
     * @return the two ends of a native pipe, or empty to use the hub's
     */
    default Optional<PipeEnds> pipe(boolean duplex) {
        return Optional.empty();
    }

    /**
     * @param capacity the most elements the queue holds; {@link Integer#MAX_VALUE} for an unbounded queue, whose
     *        offers never wait
     * @return a native queue, or empty to use the hub's
     */
    default Optional<NativeQueue> queue(int capacity) {
        return Optional.empty();
    }

    /**
     * A native unbounded queue that counts unfinished elements, for {@link dev.multiproc.Context#joinableQueue()}.
     * Worth giving where the transport has a native {@link #queue(int)} and a shared counter that processes can wait
     * on: core's hub otherwise makes every put, take, {@code taskDone} and {@code join} a round trip to the parent.
     *
     * @return a native joinable queue, unbounded (its offers never wait), or empty to use the hub's
     */
    default Optional<NativeJoinableQueue> joinableQueue() {
        return Optional.empty();
    }

    /**
     * Makes a block of shared memory for a {@link dev.multiproc.SharedBuffer} and its typed arrays. Core checks
     * {@code size} against {@link #maxBufferSize()} first.
     *
     * @param size the number of bytes, at least 1; the memory starts zeroed
     * @return a native buffer, or empty to use the hub's (which lives in the parent's heap)
     */
    default Optional<NativeBuffer> buffer(long size) {
        return Optional.empty();
    }

    /**
     * @return the largest buffer {@link #buffer(long)} makes; core refuses larger ones with a message that names
     *         this limit. Ignored when {@code buffer} declines.
     */
    default long maxBufferSize() {
        return 0;
    }

    /**
     * Holds the bytes of a {@link dev.multiproc.SharedValue}. Core calls it only if {@link #maxValueSize()} is
     * positive, and checks {@code initial}, and every value stored later, against that limit first.
     *
     * @param initial the encoded initial value; the transport keeps no reference to the array
     * @return a native value, or empty to use the hub's (which keeps the value in the parent's heap and limits it to
     *         one message)
     */
    default Optional<NativeValue> value(byte[] initial) {
        return Optional.empty();
    }

    /**
     * @return the largest encoded value {@link #value(byte[])}'s values hold, or 0 (the default) if this transport
     *         has no native values; core refuses larger ones with a message that names this limit
     */
    default long maxValueSize() {
        return 0;
    }

    /**
     * The two ends of a native pipe.
     *
     * @param left the left end (receives in a one-way pipe)
     * @param right the right end (sends in a one-way pipe)
     */
    record PipeEnds(NativeConnection left, NativeConnection right) {
    }
}
