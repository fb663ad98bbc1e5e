package dev.multiproc.internal.parent;

import dev.multiproc.ChildStartException;
import dev.multiproc.Multiproc;
import dev.multiproc.MultiprocException;
import dev.multiproc.ProtocolException;
import dev.multiproc.internal.ContextImpl;
import dev.multiproc.internal.Protocol;
import dev.multiproc.internal.Timers;
import dev.multiproc.internal.jfr.ChildLifeEvents;
import dev.multiproc.internal.protocol.Envelope;
import dev.multiproc.internal.protocol.Hello;
import dev.multiproc.internal.protocol.Output;
import dev.multiproc.internal.protocol.Refused;
import dev.multiproc.internal.protocol.Reply;
import dev.multiproc.internal.protocol.Start;
import dev.multiproc.spi.ChildAttachment;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.MessageHandler;
import dev.multiproc.spi.RemoteWorkers;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The parent's side of one child process: spawns it, completes the handshake, prints its output, serves its hub
 * calls, passes everything else to its owner (a pool or a ChildProcess), and reports its exit once, after the last
 * message from it has been handled and its exit status is known.
 *
 * <p>A <em>remote</em> link has no process here: a worker that joined from outside
 * ({@link dev.multiproc.spi.RemoteWorkers}). Its channel is its whole life: the close of the channel is its exit,
 * with an unknown status, and terminating it closes the channel (the worker then exits on its side).
 */
public final class ChildLink implements MessageHandler {
    private static final System.Logger LOG = System.getLogger("dev.multiproc.child");
    /** How long a child may keep running after its channel closed, or stay connected after it exited. */
    private static final long GRACE_MILLIS = 2000;
    /** The owner of a child. Callbacks come from the channel's thread or a process-exit thread. */
    public interface Listener {
        /**
         * The link exists, before anything can happen on it (the child's exit included): the listener's own
         * reference to it is set here, never later.
         */
        default void onLaunched(ChildLink link) {
        }

        /** The child connected and spoke the right protocol: send it Start. */
        void onConnected(ChildLink link);

        /** A Ready, TaskResult or JobDone. */
        void onMessage(ChildLink link, Envelope envelope);

        /** The child is gone; called once. */
        void onExit(ChildLink link, int exitStatus);
    }

    private final ContextImpl context;
    private final String childId;
    private final String name;
    private final Listener listener;
    /** The child's process, or null for a remote worker. */
    private final Process process;
    /** Where a remote worker runs, or null for a local child. */
    private final String remote;
    private volatile long remotePid;
    private final AtomicBoolean exitReported = new AtomicBoolean();
    /** Kills a child that does not connect in time; cancelled when it connects or exits. */
    private volatile ScheduledFuture<?> startTimer;
    private volatile MessageChannel channel;
    /** The child's standard error, read here; null for a remote worker. */
    private volatile ChildErrorStream errors;
    /** When this link was made: the child's launch, or a remote worker's arrival (System.nanoTime). */
    private final long bornNanos = System.nanoTime();
    /** Why the child could not start (it is gone without having connected), or null. */
    private volatile ChildStartException startFailure;
    /**
     * Why this process stopped the child, if it had to (its channel failed here, say out of memory, or it sent what
     * the protocol does not allow); else null.
     */
    private volatile MultiprocException stoppedBecause;
    /** Set when the parent killed a child that did not connect in time. */
    private volatile String startDetail = "";
    private volatile boolean connected;
    /** Set when the parent asked the child to go: its exit is then no start failure. */
    private volatile boolean stopRequested;
    private volatile boolean channelClosed;
    /** Its JFR events: begun before it was spawned (or when it joined), committed when it connects and exits. */
    private final ChildLifeEvents events;

    private ChildLink(ContextImpl context, String childId, String name, Listener listener, Process process,
            String remote, ChildLifeEvents events) {
        this.context = context;
        this.childId = childId;
        this.name = name;
        this.listener = listener;
        this.process = process;
        this.remote = remote;
        this.events = events;
    }

    /**
     * Takes on a remote worker that joined: starts its channel; the listener hears the rest, as for a spawned
     * child.
     */
    public static ChildLink attachRemote(ContextImpl context, RemoteWorkers.Joined joined, String name,
            Listener listener) {
        ChildLink link = new ChildLink(context, joined.childId(), name, listener, null, joined.description(),
                new ChildLifeEvents());
        listener.onLaunched(link);
        context.register(link);
        link.channel = joined.channel();
        joined.channel().start(link);
        return link;
    }

    /**
     * Spawns a child and starts connecting to it. Returns once the process exists; the listener hears the rest.
     *
     * @throws MultiprocException if the process cannot be spawned
     */
    public static ChildLink launch(ContextImpl context, String childId, String name, Listener listener,
            Duration startTimeout) {
        ChildLifeEvents events = new ChildLifeEvents();
        ChildAttachment attachment;
        try {
            attachment = context.parentTransport().prepare(childId);
        } catch (IOException e) {
            throw new MultiprocException("Transport '" + context.transportName() + "' cannot prepare a channel for"
                    + " child " + name + ": " + e, e);
        }
        Process process;
        byte[] secret = attachment.secret();
        try {
            process = ChildLauncher.spawn(context, childId, attachment.descriptor(), secret.length);
        } catch (IOException e) {
            attachment.abort();
            throw new MultiprocException("Cannot start a child JVM for " + name + ": " + e
                    + ". Check that " + ChildLauncher.javaExecutable() + " runs.", e);
        }
        ChildLink link = new ChildLink(context, childId, name, listener, process, null, events);
        listener.onLaunched(link);
        link.errors = ChildErrorStream.start(process.getErrorStream(), name);
        context.register(link);
        process.onExit().thenRun(link::processExited);
        CompletableFuture<MessageChannel> attached;
        try {
            if (secret.length > 0) {
                // The child's stdin is its lifeline and stays open; the secret is the first thing on it.
                process.getOutputStream().write(secret);
                process.getOutputStream().flush();
            }
            attached = attachment.attach(process);
        } catch (IOException | RuntimeException e) {
            attachment.abort();
            link.stopRequested();
            ChildStartException died = link.diedAtStart("the transport could not attach to it: " + e);
            if (died != null) {
                // the usual reason: the child is already gone (a bad JVM option), and its stdin with it
                throw died;
            }
            process.destroyForcibly();
            throw new MultiprocException("Transport '" + context.transportName() + "' cannot attach to child "
                    + name + ": " + e, e);
        }
        attached.whenComplete((channel, error) -> {
            if (error != null) {
                link.startDetail = "it could not connect: " + error;
                attachment.abort();
                process.destroyForcibly();
                return;
            }
            link.channel = channel;
            channel.start(link);
        });
        link.startTimer = after(startTimeout.toMillis(), () -> {
            if (!link.connected && process.isAlive()) {
                link.startDetail = "it did not connect within " + startTimeout + ", and the parent killed it";
                attachment.abort();
                process.destroyForcibly();
            }
        });
        return link;
    }

    String name() {
        return name;
    }

    /**
     * @param role what the child is for
     * @return the start of this child's {@code Start}: its role, its name, and who its parent (this process) is
     */
    public Start.Builder start(Start.Role role) {
        return Start.newBuilder().setRole(role).setName(name).setParentName(Multiproc.currentProcess().name())
                .setParentPid(ProcessHandle.current().pid()).setParentStartMillis(ThisProcess.START_MILLIS);
    }

    /** This process's start time, read once, when it first starts a child. */
    private static final class ThisProcess {
        /** In milliseconds since the epoch, or 0 if the operating system does not say. */
        static final long START_MILLIS = ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli)
                .orElse(0L);
    }

    String childId() {
        return childId;
    }

    /** @return the child's pid; for a remote worker, its pid on its own host (0 until it said Hello) */
    public long pid() {
        return process != null ? process.pid() : remotePid;
    }

    /** @return the child's process; null for a remote worker */
    Process process() {
        return process;
    }

    /** @return where a remote worker runs, e.g. {@code worker 'box7' at 10.0.0.2:40122}; null for a local child */
    public String remote() {
        return remote;
    }

    /** @return e.g. {@code pool-1-worker-2 (pid 4242)}, or {@code pool-1-remote-1 (pid 4242, worker 'box7' at
     *         10.0.0.2:40122)} */
    public String displayName() {
        return remote == null ? name + " (pid " + process.pid() + ")"
                : name + " (pid " + remotePid + ", " + remote + ")";
    }

    /** @return the largest message the context's channels carry, in bytes */
    public int maxMessageSize() {
        return context.maxMessageSize();
    }

    public boolean send(Envelope envelope) {
        MessageChannel current = channel;
        if (current == null || channelClosed) {
            return false;
        }
        try {
            current.send(ByteBuffer.wrap(envelope.toByteArray()));
            return true;
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "send to " + displayName() + " failed: " + e);
            return false;
        } catch (OutOfMemoryError e) {
            // The message is lost, and with it, perhaps, the reply a call of the child waits for. Rather than let
            // that call hang, the child goes: its channel closes, the child is stopped at once, whatever waits on
            // it fails, and what the hub lent it comes back.
            channelClosed = true;
            stopAfterFailure("it ran out of memory sending to it", e);
            try {
                current.close();
            } catch (OutOfMemoryError again) {
                // the process is gone: its channel's end closes with it
            }
            return false;
        }
    }

    @Override
    public void onMessage(ByteBuffer message) {
        Envelope envelope;
        try {
            envelope = Envelope.parseFrom(message);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "unreadable message from " + displayName() + "; closing its channel: " + e);
            stoppedBecause = stopped("it sent a message the parent could not read (" + e.getMessage()
                    + "); a transport lost or altered bytes", e);
            channel.close();
            if (process != null) {
                process.destroyForcibly();
            }
            return;
        }
        if (!connected) {
            handshake(envelope);
            return;
        }
        switch (envelope.getBodyCase()) {
            case OUTPUT -> print(envelope.getOutput());
            case CALL -> {
                CompletableFuture<Reply> reply = context.hub().dispatch(childId, envelope.getCall());
                if (envelope.getCall().getQuiet()) {
                    reply.thenAccept(answer -> {
                        if (answer.getStatus() != Reply.Status.OK) {
                            send(Envelope.newBuilder().setReply(answer.toBuilder()
                                    .setValue(envelope.getCall().getObjectId())).build());
                        }
                    });
                } else if (envelope.getCall().getCallId() != Protocol.ONE_WAY) {
                    reply.thenAccept(answer -> send(Envelope.newBuilder().setReply(answer).build()));
                } else {
                    reply.thenAccept(answer -> {
                        if (answer.getStatus() != Reply.Status.OK) {
                            LOG.log(Level.WARNING, "one-way " + envelope.getCall().getOp().name() + " from "
                                    + displayName() + " failed: " + answer.getStatus().name() + " " + answer.getError());
                        }
                    });
                }
            }
            case CANCEL -> context.hub().cancel(childId, envelope.getCancel().getObjectId(),
                    envelope.getCancel().getCallId());
            default -> listener.onMessage(this, envelope);
        }
    }

    private void handshake(Envelope envelope) {
        if (envelope.getBodyCase() != Envelope.BodyCase.HELLO) {
            refuse("expected Hello as the first message, got " + envelope.getBodyCase());
            return;
        }
        Hello hello = envelope.getHello();
        if (hello.getProtocolVersion() != Protocol.VERSION) {
            refuse("protocol version " + hello.getProtocolVersion() + " is not this parent's " + Protocol.VERSION
                    + "; parent and children must run the same multiproc version");
            return;
        }
        if (!hello.getChildId().equals(childId)) {
            refuse("this channel belongs to child " + childId + ", not " + hello.getChildId());
            return;
        }
        remotePid = hello.getPid();
        synchronized (this) {
            if (stopRequested) {
                return; // abandoned while it was starting (abandonStart): it is being killed, and gets no Start
            }
            connected = true;
        }
        cancelStartTimer();
        events.connected(name, pid(), context.transportName(), remote);
        listener.onConnected(this);
    }

    private void refuse(String reason) {
        LOG.log(Level.WARNING, "refusing child " + displayName() + ": " + reason);
        // the start failure says why, whatever the child manages to print before it exits
        startDetail = "the parent refused it: " + reason;
        send(Envelope.newBuilder().setRefused(Refused.newBuilder().setReason(reason)).build());
        channel.close();
    }

    private static void print(Output output) {
        PrintStream target = output.getStream() == Output.Stream.STDERR ? System.err : System.out;
        byte[] bytes = output.getData().toByteArray();
        // One write of whole lines: PrintStream.write(byte[], int, int) holds its lock for the whole call.
        target.write(bytes, 0, bytes.length);
        target.flush();
    }

    @Override
    public void onClose(Throwable cause) {
        channelClosed = true;
        if (cause instanceof ProtocolException) {
            LOG.log(Level.WARNING, "channel to " + displayName() + " broke: " + cause.getMessage());
            stoppedBecause = stopped("its channel broke (" + cause.getMessage() + ")", cause);
        } else if (cause instanceof Error) {
            stopAfterFailure("its channel failed in the parent", cause);
        }
        if (process == null) {
            // A remote worker has nothing but its channel: its close is its exit.
            if (exitReported.compareAndSet(false, true)) {
                events.exited(name, remotePid, -1, stopRequested, age().toNanos());
                context.unregister(this);
                context.hub().callerGone(childId);
                listener.onExit(this, -1);
            }
            return;
        }
        within(process.onExit(), process, GRACE_MILLIS).thenRun(() -> {
            if (process.isAlive()) {
                LOG.log(Level.DEBUG, displayName() + " outlived its channel; killing it");
                process.destroyForcibly();
            } else {
                reportExit();
            }
        });
    }

    private void processExited() {
        if (channelClosed || channel == null) {
            reportExit();
            return;
        }
        // Let the transport deliver what the child sent before it died, then close the channel ourselves.
        after(GRACE_MILLIS, () -> {
            if (!channelClosed) {
                channel.close();
            }
        });
    }

    private void reportExit() {
        if (!process.isAlive() && (channelClosed || channel == null) && exitReported.compareAndSet(false, true)) {
            if (stopRequested) {
                exited();
                return;
            }
            if (connected) {
                // died by itself: wait (briefly) for the end of its standard error, which its death certificate
                // quotes (the JVM's "Terminating due to java.lang.OutOfMemoryError", a crash's last words)
                within(errors.finished(), null, GRACE_MILLIS).thenRun(this::exited);
                return;
            }
            // Gone before it was ready: what it wrote to its standard error says why. Wait (briefly) for the end
            // of that stream, which closes with the process.
            within(errors.finished(), null, GRACE_MILLIS).thenRun(() -> {
                startFailure = exitedBeforeReady(startDetail);
                exited();
            });
        }
    }

    /**
     * @param detail what went wrong in the parent
     * @return the start failure of a child that has exited by itself (waiting briefly for it and for the end of
     *         its standard error), or null if it still runs
     */
    private ChildStartException diedAtStart(String detail) {
        try {
            if (!process.waitFor(500, TimeUnit.MILLISECONDS)) {
                return null;
            }
            errors.finished().get(GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // report what the child wrote so far
        }
        return process.isAlive() ? null : exitedBeforeReady(detail);
    }

    /** @return why the parent stopped this child, as its {@code failure()} and a pool's crash report give it */
    private MultiprocException stopped(String why, Throwable cause) {
        return new MultiprocException("the parent stopped " + displayName() + ": " + why, cause);
    }

    /**
     * Stops the child because this process failed it ({@code cause}, out of memory most likely): first the kill,
     * which needs no memory to speak of, so that whatever waits on the child learns of its exit rather than hang;
     * then, if there is memory for it, the explanation its {@code failure()} gives and the log line.
     */
    private void stopAfterFailure(String what, Throwable cause) {
        if (process != null) {
            process.destroyForcibly();
        }
        try {
            stoppedBecause = stopped(what + " (" + cause + ")", cause);
            LOG.log(Level.ERROR, "stopped " + displayName() + ": " + what + " (" + cause + "). If it is an"
                    + " OutOfMemoryError, give the parent more heap (-Xmx), or bound the queues that hold what"
                    + " children send (context.queue(capacity))", cause);
        } catch (OutOfMemoryError again) {
            // the explanation is lost, not the exit: the process's exit is reported as usual
        }
    }

    /** @return the start failure of this exited child, with the end of its standard error as read so far */
    private ChildStartException exitedBeforeReady(String detail) {
        return new ChildStartException(displayName(), process.exitValue(), errors.tail(), detail);
    }

    private void cancelStartTimer() {
        ScheduledFuture<?> timer = startTimer;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** Runs {@code action} after {@code millis} on multiproc's timer thread ({@link Timers}). */
    private static ScheduledFuture<?> after(long millis, Runnable action) {
        return Timers.afterNanos(TimeUnit.MILLISECONDS.toNanos(millis), action);
    }

    /** Completes {@code future} with {@code fallback} after {@code millis} unless it completed before. */
    private static <T> CompletableFuture<T> within(CompletableFuture<T> future, T fallback, long millis) {
        ScheduledFuture<?> timer = after(millis, () -> future.complete(fallback));
        future.whenComplete((value, error) -> timer.cancel(false));
        return future;
    }

    private void exited() {
        events.exited(name, process.pid(), process.exitValue(), stopRequested, age().toNanos());
        cancelStartTimer();
        context.unregister(this);
        context.hub().callerGone(childId);
        listener.onExit(this, process.exitValue());
    }

    /** @return how long ago this child was launched (a remote worker: since it joined) */
    public Duration age() {
        return Duration.ofNanos(System.nanoTime() - bornNanos);
    }

    /**
     * @return the last lines of the child's standard error, at most about 4 KiB; empty for a remote worker, whose
     *         standard error stays on its host
     */
    public String errorTail() {
        ChildErrorStream stream = errors;
        return stream == null ? "" : stream.tail();
    }

    /** @return why this process had to stop the child (its channel failed here), or null */
    public MultiprocException stoppedBecause() {
        return stoppedBecause;
    }

    /** @return why this child could not start, once it has exited without having connected; else null */
    public ChildStartException startFailure() {
        return startFailure;
    }

    /**
     * Lets a finished child go: closes its channel and its stdin, on which it is waiting to exit (see
     * {@code ChildRuntime.finished}).
     */
    void release() {
        stopRequested = true;
        MessageChannel current = channel;
        if (current != null) {
            current.close();
        }
        if (process == null) {
            return;
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already closed: the child is released either way
        }
    }

    /** Notes that the child's owner stops it: its exit, even before it was ready, is then no start failure. */
    void stopRequested() {
        stopRequested = true;
    }

    /** @return whether the child trains the class-data-sharing archive (see {@link ChildClassArchive}) */
    public boolean isTraining() {
        return process != null && ChildClassArchive.isTraining(process);
    }

    /**
     * @return whether {@link #abandonStart()} would kill this child now: it has not connected (so has run none of
     *         the application's code) and does not train the class-data-sharing archive
     */
    public boolean startAbandonable() {
        return !connected && !isTraining();
    }

    /**
     * Kills a child that has not connected yet, so has run none of the application's code: a pool that is shut down
     * while a worker is still starting need not wait for the worker's JVM to start only to tell it to exit.
     *
     * @return false if the child connected first, or it trains the class-data-sharing archive (it is then left
     *         alone, and retired once ready)
     */
    public boolean abandonStart() {
        synchronized (this) {
            if (!startAbandonable()) {
                return false;
            }
            stopRequested = true;
        }
        terminate(true);
        return true;
    }

    /** Tells an idle worker to exit, and releases it. */
    public void shutdown() {
        send(Envelope.newBuilder().setShutdown(dev.multiproc.internal.protocol.Shutdown.getDefaultInstance())
                .build());
        release();
    }

    /**
     * Signals the child: SIGKILL if {@code force}, else SIGTERM and SIGKILL after a grace period. Through the
     * ProcessHandle, because {@code Process.destroy()} also closes the child's stdin, which the child would take
     * for its parent's death (exit status 3) before the signal's own exit status (143) could happen. A remote
     * worker's channel is closed instead.
     */
    public void terminate(boolean force) {
        stopRequested = true;
        if (process == null) {
            // A remote worker exits when its connection drops; there is no process here to signal.
            MessageChannel current = channel;
            if (current != null) {
                current.close();
            }
            return;
        }
        if (force) {
            process.toHandle().destroyForcibly();
        } else {
            process.toHandle().destroy();
            within(process.onExit(), process, GRACE_MILLIS).thenRun(() -> process.toHandle().destroyForcibly());
        }
    }
}
