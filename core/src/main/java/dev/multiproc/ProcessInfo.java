package dev.multiproc;

import java.io.Serializable;
import java.util.Objects;

/**
 * Who a process is, as multiproc knows it: what {@link Multiproc#currentProcess()} returns (Python's
 * {@code multiprocessing.current_process()}). Serializable, so a task may return it to the parent.
 *
 * <p>The name is {@value #MAIN_NAME} in a process that multiproc did not start (Python's name for it). In a
 * {@link ChildProcess} it is the child's {@linkplain ChildProcess#name() name}, the one its parent shows: the name
 * given to it before it started, else {@code process-N}. In a pool worker it is the worker's name as the pool's
 * messages and exceptions give it ({@code pool-1-worker-2}, or {@code pool-1-remote-1} for a remote worker); a
 * replaced worker's successor has a new number.
 *
 * @param name the process's name, as above
 * @param pid its operating system process id (for a remote worker, on its own host)
 * @param role whether it is the main process, a child process or a pool worker
 * @serial exclude
 */
// A record's serialized form is its components, documented above; "@serial exclude" keeps JDK 17's javadoc from
// asking for comments on their implicit fields, which a record cannot have (later JDKs do not ask).
@SuppressWarnings("InvalidBlockTag") // "@serial exclude" is for javadoc, as the comment above says
public record ProcessInfo(String name, long pid, Role role) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The name of a process that multiproc did not start, as in Python: {@value}. */
    public static final String MAIN_NAME = "MainProcess";

    /** What a process is for. */
    public enum Role {
        /** A process multiproc did not start: the program's own JVM. */
        MAIN,
        /** A child started by {@link Context#process(Job)}. */
        PROCESS,
        /** A worker of a {@link Pool}, spawned here or joined as a remote worker. */
        POOL_WORKER
    }

    /**
     * Checks the components.
     *
     * @param name the process's name
     * @param pid its process id
     * @param role what it is for
     * @throws NullPointerException if {@code name} or {@code role} is null
     */
    public ProcessInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }

    /**
     * @return true in a process that multiproc started (a child process or a pool worker), as
     *         {@link Multiproc#isChild()}
     */
    public boolean isChild() {
        return role != Role.MAIN;
    }

    /**
     * @return true in a pool worker, local or remote
     */
    public boolean isPoolWorker() {
        return role == Role.POOL_WORKER;
    }
}
