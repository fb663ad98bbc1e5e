package dev.multiproc.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A pool chunk's life as the parent sees it: from when the pool gives it to a worker (and sends it) until its result
 * arrives. It includes the time the chunk waited in the worker behind the chunks given to it before. A chunk whose
 * worker dies before it answers has no event (the worker's {@code dev.multiproc.WorkerExit} says so).
 *
 * <p>Thread-safety: begun and committed under the pool's lock.
 */
@Name("dev.multiproc.Chunk")
@Label("Pool Chunk")
@Category("multiproc")
@Description("A pool chunk, from when it is given to a worker until its result arrives in the parent")
@StackTrace(false)
public final class ChunkEvent extends Event {
    /** The outcome of a chunk that returned its results. */
    public static final String OK = "ok";
    /** The outcome of a chunk whose task threw (or whose results could not be sent back). */
    public static final String FAILED = "failed";
    /** The outcome of a chunk the pool had stopped (its deadline passed, its call was cancelled) before it answered. */
    public static final String STOPPED = "stopped";

    /** The pool's name. */
    @Label("Pool")
    public String pool;

    /** The worker's name, e.g. {@code pool-1-worker-2}. */
    @Label("Worker")
    public String worker;

    /** The task id of the chunk in its pool, as in the worker's {@code dev.multiproc.TaskRun}. */
    @Label("Task Id")
    public long taskId;

    /** The chunk's index in its job. */
    @Label("Chunk Index")
    public int chunkIndex;

    /** How many arguments the chunk holds. */
    @Label("Items")
    public int items;

    /** {@value #OK}, {@value #FAILED} or {@value #STOPPED}. */
    @Label("Outcome")
    public String outcome;
}
