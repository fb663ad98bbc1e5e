package dev.multiproc;

import java.io.Serializable;

/**
 * An array of ints shared between processes: Python's {@code multiprocessing.Array('i', n)}, with the
 * operations of {@code java.util.concurrent.atomic.AtomicIntegerArray}. A view of a {@link SharedBuffer}: made by
 * {@link Context#sharedIntArray(int)} or {@link SharedBuffer#asIntArray()}.
 *
 * <p>Every element operation is atomic across all processes of the context and has volatile semantics. A bulk copy
 * ({@link #get(int, int[], int, int)}, {@link #set(int, int[], int, int)}) is not atomic as a whole; hold
 * {@link #lock()} where readers must see it whole. On the {@code shm} transport an element operation is one
 * atomic instruction on shared memory; elsewhere it is one message to the parent's hub, and a bulk copy a few.
 *
 * <p>Serializable: pass it to a child, and there it is the same array. Thread- and process-safe.
 */
public interface SharedIntArray extends Serializable {

    /** @return the number of elements */
    int length();

    /**
     * @param index the element's index
     * @return the element
     * @throws IndexOutOfBoundsException if {@code index} is outside the array
     */
    int get(int index);

    /**
     * @param index the element's index
     * @param newValue the value to store
     * @throws IndexOutOfBoundsException if {@code index} is outside the array
     */
    void set(int index, int newValue);

    /**
     * @param index the element's index
     * @param newValue the value to store
     * @return the previous value
     * @throws IndexOutOfBoundsException if {@code index} is outside the array
     */
    int getAndSet(int index, int newValue);

    /**
     * Adds {@code delta} to an element atomically.
     *
     * @param index the element's index
     * @param delta the amount to add
     * @return the previous value
     * @throws IndexOutOfBoundsException if {@code index} is outside the array
     */
    int getAndAdd(int index, int delta);

    /**
     * Adds {@code delta} to an element atomically.
     *
     * @param index the element's index
     * @param delta the amount to add
     * @return the updated value
     * @throws IndexOutOfBoundsException if {@code index} is outside the array
     */
    default int addAndGet(int index, int delta) {
        return getAndAdd(index, delta) + delta;
    }

    /**
     * Adds one to an element atomically.
     *
     * @param index the element's index
     * @return the updated value
     * @throws IndexOutOfBoundsException if {@code index} is outside the array
     */
    default int incrementAndGet(int index) {
        return getAndAdd(index, 1) + 1;
    }

    /**
     * Subtracts one from an element atomically.
     *
     * @param index the element's index
     * @return the updated value
     * @throws IndexOutOfBoundsException if {@code index} is outside the array
     */
    default int decrementAndGet(int index) {
        return getAndAdd(index, -1) - 1;
    }

    /**
     * Sets an element to {@code newValue} if it is {@code expectedValue}.
     *
     * @param index the element's index
     * @param expectedValue the expected value
     * @param newValue the new value
     * @return true if the element was set
     * @throws IndexOutOfBoundsException if {@code index} is outside the array
     */
    boolean compareAndSet(int index, int expectedValue, int newValue);

    /**
     * Copies {@code length} elements from {@code index} into {@code dst} from {@code dstOffset}.
     *
     * @param index the first element to copy
     * @param dst the array to copy into
     * @param dstOffset where in {@code dst} to start
     * @param length how many elements to copy
     * @throws IndexOutOfBoundsException if a range is outside this array or {@code dst}
     */
    void get(int index, int[] dst, int dstOffset, int length);

    /**
     * Copies {@code length} elements of {@code src} from {@code srcOffset} into this array from
     * {@code index}.
     *
     * @param index the first element to overwrite
     * @param src the array to copy from
     * @param srcOffset where in {@code src} to start
     * @param length how many elements to copy
     * @throws IndexOutOfBoundsException if a range is outside this array or {@code src}
     */
    void set(int index, int[] src, int srcOffset, int length);

    /**
     * @return a copy of every element, read as one bulk copy (not atomic as a whole)
     */
    default int[] toArray() {
        int[] copy = new int[length()];
        get(0, copy, 0, copy.length);
        return copy;
    }

    /**
     * @return the lock that goes with the array's buffer (Python's {@code get_lock()}); see
     *         {@link SharedBuffer#lock()}
     */
    SharedLock lock();

    /** @return the buffer this array is a view of */
    SharedBuffer buffer();
}
