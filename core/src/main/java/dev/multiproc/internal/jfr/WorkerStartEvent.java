package dev.multiproc.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A child process starting, as the parent sees it: from its launch (before its JVM is spawned) until it has
 * connected and said Hello. For a remote worker, from when it joined until its Hello. A pool worker is ready a
 * little later, once it has run the pool's initializer. Emitted by {@link ChildLifeEvents}.
 */
@Name("dev.multiproc.WorkerStart")
@Label("Worker Start")
@Category("multiproc")
@Description("A child process (pool worker or Process) from its launch until it connected to the parent")
@StackTrace(false)
public final class WorkerStartEvent extends Event {
    /** The child's name, e.g. {@code pool-1-worker-2} or {@code Process-3}. */
    @Label("Worker")
    public String worker;

    /** Its process id (for a remote worker, on its own host). */
    @Label("Pid")
    public long pid;

    /** The context's transport, e.g. {@code pipe}. */
    @Label("Transport")
    public String transport;

    /** Where a remote worker runs, e.g. {@code worker 'box7' at 10.0.0.2:40122}; null for a local child. */
    @Label("Remote")
    public String remote;
}
