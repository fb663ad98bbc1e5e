package dev.multiproc.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The parent encoding one pool chunk and sending it to a worker: from the start of its encoding until the message
 * that carries it is sent. Chunks that go together in one message (a worker given several short chunks ahead) each
 * have an event, all ending with that message's send.
 *
 * <p>Thread-safety: an event belongs to the thread that sends (one at a time per worker).
 */
@Name("dev.multiproc.ChunkSend")
@Label("Chunk Send")
@Category("multiproc")
@Description("The parent encoding a pool chunk and sending it to a worker process")
@StackTrace(false)
public final class ChunkSendEvent extends Event {
    /** The pool's name. */
    @Label("Pool")
    public String pool;

    /** The worker's name, e.g. {@code pool-1-worker-2}. */
    @Label("Worker")
    public String worker;

    /** The task id of the chunk in its pool, as in the worker's {@code dev.multiproc.TaskRun}. */
    @Label("Task Id")
    public long taskId;

    /** The chunk's index in its job (0 for the first chunk of a map). */
    @Label("Chunk Index")
    public int chunkIndex;

    /** How many arguments the chunk holds. */
    @Label("Items")
    public int items;

    /** The size of the chunk's encoded task (its arguments, and its function if the worker has not cached it). */
    @Label("Size")
    @DataAmount
    public long bytes;

    /** How many chunks went in the same message. */
    @Label("Chunks in Message")
    public int chunksInMessage;
}
