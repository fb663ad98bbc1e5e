package dev.multiproc;

import java.io.Serializable;

/**
 * A serializable action: the target of a {@link ChildProcess} (Python's {@code Process(target=...)}) and a pool's
 * initializer.
 */
@FunctionalInterface
public interface Job extends Serializable {
    /**
     * Runs the action in a child process.
     *
     * @throws Exception anything; a process whose target throws prints the stack trace to its standard error and
     *         exits with status 1, as Python does
     */
    void run() throws Exception;
}
