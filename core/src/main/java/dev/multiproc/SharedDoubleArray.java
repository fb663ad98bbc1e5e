package dev.multiproc;

import java.io.Serializable;

/**
 * An array of doubles shared between processes: Python's {@code multiprocessing.Array('d', n)}, with the
 * operations of {@code java.util.concurrent.atomic.AtomicLongArray} on doubles. A view of a {@link SharedBuffer}:
 * made by {@link Context#sharedDoubleArray(int)} or {@link SharedBuffer#asDoubleArray()}.
 *
 * <p>Every element operation is atomic across all processes of the context and has volatile semantics. A bulk copy
 * ({@link #get(int, double[], int, int)}, {@link #set(int, double[], int, int)}) is not atomic as a whole; hold
 * {@link #lock()} where readers must see it whole. On the {@code shm} transport an element operation is one
 * atomic instruction on shared memory; elsewhere it is one message to the parent's hub, and a bulk copy a few.
 *
 * <p>Serializable: pass it to a child, and there it is the same array. Thread- and process-safe.
 */
public interface SharedDoubleArray extends Serializable {

    /** @return the number of elements */
    int length();

    /**
     * @param index the element's index
     * @return the element
     * @throws IndexOutOfBoundsException if {@code index} is outside the array
     */
    double get(int index);

    /**
     * @param index the element's index
     * @param newValue the value to store
     * @throws IndexOutOfBoundsException if {@code index} is outside the array
     */
    void set(int index, double newValue);

    /**
     * @param index the element's index
     * @param newValue the value to store
     * @return the previous value
     * @throws IndexOutOfBoundsException if {@code index} is outside the array
     */
    double getAndSet(int index, double newValue);

    /**
     * Adds {@code delta} to an element atomically (on {@code shm}, a compare-and-set loop on its bits). Sums of
     * values that are not exact in binary depend on the order of the additions, as they do anywhere.
     *
     * @param index the element's index
     * @param delta the amount to add
     * @return the previous value
     * @throws IndexOutOfBoundsException if {@code index} is outside the array
     */
    double getAndAdd(int index, double delta);

    /**
     * Adds {@code delta} to an element atomically.
     *
     * @param index the element's index
     * @param delta the amount to add
     * @return the updated value
     * @throws IndexOutOfBoundsException if {@code index} is outside the array
     */
    default double addAndGet(int index, double delta) {
        return getAndAdd(index, delta) + delta;
    }

    /**
     * Sets an element to {@code newValue} if it is {@code expectedValue}, comparing their bits
     * ({@link Double#doubleToRawLongBits}) as {@code compareAndSet} of a {@code VarHandle} on doubles does:
     * {@code -0.0} and {@code 0.0} differ, and a NaN equals only a NaN of the same bits.
     *
     * @param index the element's index
     * @param expectedValue the expected value
     * @param newValue the new value
     * @return true if the element was set
     * @throws IndexOutOfBoundsException if {@code index} is outside the array
     */
    boolean compareAndSet(int index, double expectedValue, double newValue);

    /**
     * Copies {@code length} elements from {@code index} into {@code dst} from {@code dstOffset}.
     *
     * @param index the first element to copy
     * @param dst the array to copy into
     * @param dstOffset where in {@code dst} to start
     * @param length how many elements to copy
     * @throws IndexOutOfBoundsException if a range is outside this array or {@code dst}
     */
    void get(int index, double[] dst, int dstOffset, int length);

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
    void set(int index, double[] src, int srcOffset, int length);

    /**
     * @return a copy of every element, read as one bulk copy (not atomic as a whole)
     */
    default double[] toArray() {
        double[] copy = new double[length()];
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
