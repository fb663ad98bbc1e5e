package dev.multiproc;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;

/**
 * A list shared between processes: Python's {@code Manager().list()}. It lives in the parent process; every
 * operation is one message there (a direct call in the parent itself) and is atomic. Elements are serializable and
 * may be null; what a caller gets back is a copy. Iteration is over a {@link #snapshot()}.
 *
 * <p>Serializable: pass it to a child, and there it is the same list. Thread- and process-safe. Made by
 * {@link Context#sharedList()}.
 *
 * @param <E> the element type
 */
public interface SharedList<E> extends Serializable {

    /**
     * @param index the element's index
     * @return a copy of the element
     * @throws IndexOutOfBoundsException if {@code index} is outside the list
     */
    E get(int index);

    /**
     * @param index the element's index
     * @param element the new element
     * @return the previous element
     * @throws IndexOutOfBoundsException if {@code index} is outside the list
     * @throws SerializationException if the element cannot be serialized
     */
    E set(int index, E element);

    /**
     * Appends an element (Python's {@code append}).
     *
     * @param element the element
     * @throws SerializationException if the element cannot be serialized
     */
    void add(E element);

    /**
     * Inserts an element (Python's {@code insert}).
     *
     * @param index where, from 0 to {@link #size()}
     * @param element the element
     * @throws IndexOutOfBoundsException if {@code index} is outside 0 to {@code size()}
     */
    void add(int index, E element);

    /**
     * Appends every element of {@code elements}, in their order, in one atomic step (Python's {@code extend}).
     *
     * @param elements the elements
     */
    void addAll(Collection<? extends E> elements);

    /**
     * @param index the element's index
     * @return the element removed
     * @throws IndexOutOfBoundsException if {@code index} is outside the list
     */
    E remove(int index);

    /** @return the number of elements */
    int size();

    /** @return true if the list has no elements */
    default boolean isEmpty() {
        return size() == 0;
    }

    /** Removes every element. */
    void clear();

    /** @return a copy of every element at one moment, not backed by the list */
    List<E> snapshot();
}
