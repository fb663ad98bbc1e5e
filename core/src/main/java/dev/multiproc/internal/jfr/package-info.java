/**
 * multiproc's Java Flight Recorder events: one class per kind, all in the category {@code multiproc} and named
 * {@code dev.multiproc.*}, so that a recording shows where an application's multiproc time goes. The parent records
 * its workers' lives ({@link dev.multiproc.internal.jfr.WorkerStartEvent}, {@link
 * dev.multiproc.internal.jfr.WorkerExitEvent}) and its pools' chunks ({@link
 * dev.multiproc.internal.jfr.ChunkSendEvent}, {@link dev.multiproc.internal.jfr.ChunkEvent}); a worker records the
 * chunks it runs ({@link dev.multiproc.internal.jfr.TaskRunEvent}); every process records its own calls to the hub
 * ({@link dev.multiproc.internal.jfr.HubOperationEvent}) and its waits for shared locks ({@link
 * dev.multiproc.internal.jfr.LockWaitEvent}). Each event lands in the recording of the JVM that emits it.
 *
 * <p>Cost when nothing records: none to speak of. Every event is begun through {@link
 * dev.multiproc.internal.jfr.EventGate}, which touches no event class until the JVM's Flight Recorder is up (the
 * first use of one would otherwise register it with JFR, at a cost of hundreds of milliseconds to a cold JVM), and
 * then begins an event only if a recording enables it; its fields, and any string they need, are set only once
 * {@code shouldCommit()} says it will be written. The user guide's "Seeing where the time goes: JFR" lists the
 * events and how to record parent and children. Not API.
 */
package dev.multiproc.internal.jfr;
