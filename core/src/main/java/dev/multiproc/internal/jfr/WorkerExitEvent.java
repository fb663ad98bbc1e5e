package dev.multiproc.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A child process gone, as the parent sees it (an instant event, when the parent has learnt of its exit and has
 * handled its last message). Emitted by {@link ChildLifeEvents}.
 */
@Name("dev.multiproc.WorkerExit")
@Label("Worker Exit")
@Category("multiproc")
@Description("A child process (pool worker or Process) has exited")
@StackTrace(false)
public final class WorkerExitEvent extends Event {
    /** The child's name. */
    @Label("Worker")
    public String worker;

    /** Its process id (for a remote worker, on its own host). */
    @Label("Pid")
    public long pid;

    /** Its exit status: 0 done, 128 + n killed by signal n; -1 for a remote worker, whose status is not known. */
    @Label("Exit Status")
    public int exitStatus;

    /**
     * Whether the parent asked it to go (a retired or shut-down worker, a finished or terminated Process), rather
     * than it dying on its own (a crash, a kill from outside, a start that failed).
     */
    @Label("Expected")
    public boolean expected;

    /** From its launch until its exit was known. */
    @Label("Lifetime")
    @Timespan
    public long lifetime;
}
