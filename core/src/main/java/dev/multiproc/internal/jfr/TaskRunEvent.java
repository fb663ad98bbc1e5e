package dev.multiproc.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A pool worker running one chunk (one task of {@code apply}/{@code submit}, or a chunk of a {@code map}): from when
 * it takes the chunk until its results are encoded. Emitted in the worker's JVM, so it is in a recording only if
 * that JVM records (see the user guide). Its task id is the parent's {@code dev.multiproc.Chunk}'s.
 *
 * <p>Thread-safety: an event belongs to the worker's main thread.
 */
@Name("dev.multiproc.TaskRun")
@Label("Task Run")
@Category("multiproc")
@Description("A pool worker running one chunk of tasks")
@StackTrace(false)
public final class TaskRunEvent extends Event {
    /** The outcome of a chunk whose every item returned. */
    public static final String OK = "ok";
    /** The outcome of a chunk where an item threw, or whose results could not be encoded. */
    public static final String FAILED = "failed";
    /** The outcome of a chunk the parent stopped (its deadline passed, or its call was cancelled). */
    public static final String STOPPED = "stopped";

    /** The class of the function, e.g. {@code com.example.Main$$Lambda$31/0x0000000800c0b000} for a lambda. */
    @Label("Function")
    public String function;

    /** The task id of the chunk in its pool. */
    @Label("Task Id")
    public long taskId;

    /** How many arguments the chunk holds. */
    @Label("Items")
    public int items;

    /** {@value #OK}, {@value #FAILED} or {@value #STOPPED}. */
    @Label("Outcome")
    public String outcome;
}
