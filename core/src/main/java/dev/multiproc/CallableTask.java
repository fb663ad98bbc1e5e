package dev.multiproc;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A serializable computation without arguments, for {@link Pool#submit(CallableTask)}. It is a {@link Callable}, so
 * it is also how to give a task to a pool's {@link Pool#asExecutorService() ExecutorService}:
 * {@code executor.submit((CallableTask<Integer>) () -> 6 * 7)}.
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface CallableTask<R> extends Callable<R>, Serializable {
    /**
     * Computes the result, in a worker process.
     *
     * @return the result, which must be serializable
     * @throws Exception anything; it fails the future in the parent with a {@link TaskFailedException}
     */
    @Override
    R call() throws Exception;
}
