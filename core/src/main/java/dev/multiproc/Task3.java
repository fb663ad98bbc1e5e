package dev.multiproc;

import java.io.Serializable;

/**
 * A serializable function of three arguments, for {@link Pool#starmap3(Task3, Iterable)}.
 *
 * @param <A> the first argument type
 * @param <B> the second argument type
 * @param <C> the third argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface Task3<A, B, C, R> extends Serializable {
    /**
     * Computes the result, in a worker process.
     *
     * @param first the first argument
     * @param second the second argument
     * @param third the third argument
     * @return the result, which must be serializable
     * @throws Exception anything; it fails the call in the parent as a {@link TaskFailedException}
     */
    R apply(A first, B second, C third) throws Exception;
}
