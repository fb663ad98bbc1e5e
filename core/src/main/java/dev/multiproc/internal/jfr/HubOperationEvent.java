package dev.multiproc.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;

/**
 * A call on a shared object that waits for the hub's answer, timed by the caller: in a child, the round trip to the
 * parent (and any wait in the hub: a full queue, a held lock); in the parent, the direct call and its wait. Calls
 * that need no answer (a child's quiet put into an unbounded queue, reports of elements consumed) and elements a
 * child takes from those lent to it ahead have none. By default only calls of 20 ms or more are recorded, like the
 * JDK's socket events; a settings file with a lower threshold records every call.
 *
 * <p>Thread-safety: an event belongs to the calling thread.
 */
@Name("dev.multiproc.HubOperation")
@Label("Hub Operation")
@Category("multiproc")
@Description("A call on a shared object (queue, lock, value, pipe...) and the wait for the hub's answer")
@Threshold("20 ms")
public final class HubOperationEvent extends Event {
    /** The outcome of a call withdrawn because its thread was interrupted. */
    public static final String INTERRUPTED = "interrupted";
    /** The outcome of a call that got no answer (the parent is gone, or the hub failed it). */
    public static final String FAILED = "failed";

    /** The operation, as the protocol names it: {@code QUEUE_PUT}, {@code LOCK_ACQUIRE}, ... */
    @Label("Operation")
    public String operation;

    /** The shared object, e.g. {@code SharedLock#3} or {@code Queue#7}. */
    @Label("Object")
    public String object;

    /** The hub's answer ({@code ok}, {@code timed_out}, {@code closed}...); {@value #INTERRUPTED}, {@value #FAILED}. */
    @Label("Outcome")
    public String outcome;
}
