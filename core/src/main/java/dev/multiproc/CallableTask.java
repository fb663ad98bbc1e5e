package dev.multiproc;

import java.io.Serializable;

/**
 * A serializable computation without arguments, for {@link Pool#submit(CallableTask)}.
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface CallableTask<R> extends Serializable {
    /**
     * Computes the result, in a worker process.
     *
     * @return the result, which must be serializable
     * @throws Exception anything; it fails the future in the parent with a {@link TaskFailedException}
     */
    R call() throws Exception;
}
