package dev.multiproc;

import java.io.Serializable;

/**
 * A serializable function of two arguments, for {@link Pool#starmap(Task2, Iterable)}.
 *
 * @param <A> the first argument type
 * @param <B> the second argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface Task2<A, B, R> extends Serializable {
    /**
     * Computes the result, in a worker process.
     *
     * @param first the first argument
     * @param second the second argument
     * @return the result, which must be serializable
     * @throws Exception anything; it fails the call in the parent as a {@link TaskFailedException}
     */
    R apply(A first, B second) throws Exception;
}
