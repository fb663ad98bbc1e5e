package dev.multiproc;

import java.io.Serializable;

/**
 * A function of one argument that can run in another process: lambdas and method references whose target type is
 * {@code Task} are serializable, so a pool can ship them to its workers.
 *
 * <p>Everything a task captures must be serializable too; the pool checks this when the task is submitted and
 * names the offending object if it is not.
 *
 * @param <T> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface Task<T, R> extends Serializable {
    /**
     * Computes the result for one argument, in a worker process.
     *
     * @param argument the argument
     * @return the result, which must be serializable
     * @throws Exception anything; it fails the call in the parent as a {@link TaskFailedException} whose cause is
     *         this exception, with its remote stack trace
     */
    R apply(T argument) throws Exception;
}
