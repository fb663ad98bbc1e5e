package dev.multiproc;

import java.util.concurrent.TimeUnit;

/**
 * The process that started this one, seen from the child: what {@link Multiproc#parentProcess()} returns in a
 * {@link ChildProcess} or a pool worker (Python's {@code multiprocessing.parent_process()}).
 *
 * <p>The parent is the process whose {@link Context} started this one, which is not always this JVM's parent in the
 * operating system's sense: a child started through a wrapper command (see {@code Context.Builder.childCommand})
 * has the wrapper for that, and a remote worker's parent runs on another host. The parent told this process who it
 * is when it started it.
 *
 * <p>A child does not outlive its parent: when the parent is gone, by any signal, the child exits within moments
 * (its stdin, or a remote worker's connection, is its lifeline). So {@link #isAlive()} is true for as long as this
 * process's code can normally ask, and a {@link #join()} that would return is overtaken by this process's own exit;
 * they are here for code written against Python's API, which has them. Thread-safe.
 */
public interface ParentProcess {

    /**
     * @return the parent's name, as its own {@link Multiproc#currentProcess()} gives it: {@value
     *         ProcessInfo#MAIN_NAME} for a program's main process, the parent's own name if it is a child itself
     */
    String name();

    /**
     * @return the parent's operating system process id; for a remote worker, a pid on the parent's host
     */
    long pid();

    /**
     * @return true while the parent runs: its process exists (when it runs on this host) and this process's
     *         channel to it is open
     */
    boolean isAlive();

    /**
     * Waits until the parent has exited. Since this process exits as soon as its parent is gone, this returns
     * only if that exit is delayed; use it, if at all, with a timeout ({@link #join(long, TimeUnit)}).
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void join() throws InterruptedException;

    /**
     * Waits at most the given time for the parent to exit.
     *
     * @param timeout how long to wait
     * @param unit the unit of {@code timeout}
     * @return true if the parent is gone, false if the time ran out
     * @throws InterruptedException if interrupted while waiting
     */
    boolean join(long timeout, TimeUnit unit) throws InterruptedException;
}
