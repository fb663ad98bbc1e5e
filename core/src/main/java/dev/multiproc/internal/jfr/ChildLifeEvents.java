package dev.multiproc.internal.jfr;

/**
 * The events of one child's life, kept by the parent's link to it: {@link WorkerStartEvent}, begun when the link is
 * made and committed when the child connects, and {@link WorkerExitEvent} when it is gone. One call at each site.
 *
 * <p>Thread-safety: {@link #connected} is called once, by the channel's thread; {@link #exited} once, after it if
 * the child connected. The link's callbacks are ordered (its exit is reported after the last message is handled).
 */
public final class ChildLifeEvents {
    /** Null unless a recording took WorkerStart events when the link was made. */
    private final WorkerStartEvent start = EventGate.beginWorkerStart();

    /** Begins the child's start; make it before its JVM is spawned. */
    public ChildLifeEvents() {
    }

    /**
     * The child connected: commits its start.
     *
     * @param worker its name
     * @param pid its pid
     * @param transport the context's transport
     * @param remote where a remote worker runs, or null
     */
    public void connected(String worker, long pid, String transport, String remote) {
        if (start == null) {
            return;
        }
        start.end();
        if (start.shouldCommit()) {
            start.worker = worker;
            start.pid = pid;
            start.transport = transport;
            start.remote = remote;
            start.commit();
        }
    }

    /**
     * The child is gone: commits its exit.
     *
     * @param worker its name
     * @param pid its pid
     * @param exitStatus its exit status, or -1 if unknown
     * @param expected whether the parent asked it to go
     * @param lifetimeNanos how long it lived, by its link's clock
     */
    public void exited(String worker, long pid, int exitStatus, boolean expected, long lifetimeNanos) {
        if (!EventGate.open()) {
            return;
        }
        WorkerExitEvent exit = new WorkerExitEvent();
        if (exit.shouldCommit()) {
            exit.worker = worker;
            exit.pid = pid;
            exit.exitStatus = exitStatus;
            exit.expected = expected;
            exit.lifetime = lifetimeNanos;
            exit.commit();
        }
    }
}
