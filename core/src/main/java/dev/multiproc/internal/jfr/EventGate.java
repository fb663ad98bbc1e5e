package dev.multiproc.internal.jfr;

import jdk.jfr.FlightRecorder;

/**
 * The way in to this package's events, so that a JVM that does not record pays nothing for them: no event class of
 * ours is touched until this JVM's Flight Recorder is up ({@code -XX:StartFlightRecording}, {@code jcmd JFR.start}, a
 * {@code jdk.jfr.Recording} made in the process). That matters: on JDK 17 the first use of an event class registers
 * it with JFR even when nothing records, and a cold JVM spends about 300 ms on that (measured: ~370 classes of
 * {@code jdk.jfr} and reflection), more than a child takes to start. Once JFR is up, an event is begun only if a
 * recording enables it; an event that a call would have begun before then is simply missing.
 *
 * <p>Each {@code begin...} method returns a begun event, or null when it is not recorded: the caller ends it, and
 * if {@code shouldCommit()}, sets its fields and commits it. Thread-safe; one volatile read when JFR is not up.
 *
 * <p>The six methods repeat one another on purpose: a shared {@code begun(Event)} helper would make the verifier
 * check, when this class is linked in every JVM, that each event class is an {@code Event}, which loads them all,
 * and the gate would cost what it is here to save.
 */
public final class EventGate {
    /** Set if this Java runtime has no {@code jdk.jfr} module (a trimmed image, class path): never recording. */
    private static volatile boolean absent;

    private EventGate() {
    }

    /**
     * @return whether this JVM's Flight Recorder is up (it then stays up), so that touching an event class costs no
     *         more than the event itself
     */
    public static boolean open() {
        if (absent) {
            return false;
        }
        try {
            return FlightRecorder.isInitialized();
        } catch (LinkageError e) {
            absent = true;
            return false;
        }
    }

    /** @return a begun {@link ChunkSendEvent}, or null if it is not recorded */
    public static ChunkSendEvent beginChunkSend() {
        if (!open()) {
            return null;
        }
        ChunkSendEvent event = new ChunkSendEvent();
        if (!event.isEnabled()) {
            return null;
        }
        event.begin();
        return event;
    }

    /** @return a begun {@link ChunkEvent}, or null if it is not recorded */
    public static ChunkEvent beginChunk() {
        if (!open()) {
            return null;
        }
        ChunkEvent event = new ChunkEvent();
        if (!event.isEnabled()) {
            return null;
        }
        event.begin();
        return event;
    }

    /** @return a begun {@link TaskRunEvent}, or null if it is not recorded */
    public static TaskRunEvent beginTaskRun() {
        if (!open()) {
            return null;
        }
        TaskRunEvent event = new TaskRunEvent();
        if (!event.isEnabled()) {
            return null;
        }
        event.begin();
        return event;
    }

    /** @return a begun {@link HubOperationEvent}, or null if it is not recorded */
    public static HubOperationEvent beginHubOperation() {
        if (!open()) {
            return null;
        }
        HubOperationEvent event = new HubOperationEvent();
        if (!event.isEnabled()) {
            return null;
        }
        event.begin();
        return event;
    }

    /** @return a begun {@link LockWaitEvent}, or null if it is not recorded */
    public static LockWaitEvent beginLockWait() {
        if (!open()) {
            return null;
        }
        LockWaitEvent event = new LockWaitEvent();
        if (!event.isEnabled()) {
            return null;
        }
        event.begin();
        return event;
    }

    /** @return a begun {@link WorkerStartEvent}, or null if it is not recorded */
    static WorkerStartEvent beginWorkerStart() {
        if (!open()) {
            return null;
        }
        WorkerStartEvent event = new WorkerStartEvent();
        if (!event.isEnabled()) {
            return null;
        }
        event.begin();
        return event;
    }
}
