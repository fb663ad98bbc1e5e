package dev.multiproc;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * A child process running a {@link Job}: Python's {@code multiprocessing.Process}. Created by
 * {@link Context#process(Job)}, started by {@link #start()}.
 *
 * <p>The child is a fresh JVM on this JVM's class path. If this process dies (by any signal), the child notices
 * within a moment and exits. Thread-safe.
 */
public interface ChildProcess {

    /**
     * Starts the child. Returns as soon as the process is spawned; the target runs once it has connected. A child
     * that exits before it is ready is reported by {@link #join()}; one that is gone before this method returns
     * (its transport could not even attach to it) is reported here.
     *
     * @return this process
     * @throws IllegalStateException if already started
     * @throws ChildStartException if the child JVM exited at once, with its exit status and standard error
     * @throws MultiprocException if no child JVM can be spawned at all
     */
    ChildProcess start();

    /**
     * Waits for the child to exit: Python's {@code join()}. A target that threw does not make this throw (see
     * {@link #failure()}); a child that never got to run its target does.
     *
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalStateException if not started
     * @throws ChildStartException if the child JVM exited before it was ready (bad JVM options, a class path
     *         without the application's code): the exception carries its exit status and the end of its
     *         standard error. The same failure is logged as a warning when it happens, joined or not.
     */
    void join() throws InterruptedException;

    /**
     * Waits at most the given time for the child to exit.
     *
     * @param timeout how long to wait
     * @param unit the unit of {@code timeout}
     * @return true if it exited, false if the time ran out
     * @throws InterruptedException if interrupted while waiting
     * @throws ChildStartException if the child JVM exited before it was ready, as for {@link #join()}
     */
    boolean join(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * @return true from {@link #start()} until the process has exited
     */
    boolean isAlive();

    /**
     * @return the exit status once the process has exited: 0 if the target returned, 1 if it threw,
     *         {@code 128 + n} if killed by signal {@code n} (Python reports {@code -n}); empty while running
     */
    OptionalInt exitCode();

    /**
     * @return the exception the target threw, rebuilt here with its remote stack trace, or the
     *         {@link ChildStartException} of a child that exited before it was ready, once the process has exited;
     *         empty if it returned normally or has not finished
     */
    Optional<Throwable> failure();

    /**
     * @return the operating system's process id
     * @throws IllegalStateException if not started
     */
    long pid();

    /**
     * @return the process's name, {@code "process-N"} unless set (N counts the processes this JVM has made); the
     *         child's {@link Multiproc#currentProcess()} gives the same name
     */
    String name();

    /**
     * @param name the name shown in logs and errors, and by {@link Multiproc#currentProcess()} in the child
     * @return this process
     * @throws IllegalStateException if already started
     */
    ChildProcess name(String name);

    /**
     * @return true if the process is a daemon
     */
    boolean isDaemon();

    /**
     * @param daemon true to terminate the process when its context closes, instead of waiting for it (Python's
     *        {@code daemon})
     * @return this process
     * @throws IllegalStateException if already started
     */
    ChildProcess daemon(boolean daemon);

    /**
     * Asks the process to stop (SIGTERM): Python's {@code terminate()}.
     */
    void terminate();

    /**
     * Stops the process at once (SIGKILL): Python's {@code kill()}.
     */
    void kill();
}
