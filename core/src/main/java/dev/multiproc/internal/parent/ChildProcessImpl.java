package dev.multiproc.internal.parent;

import com.google.protobuf.ByteString;
import dev.multiproc.ChildProcess;
import dev.multiproc.ChildStartException;
import dev.multiproc.internal.CallerFrames;
import dev.multiproc.internal.ContextImpl;
import dev.multiproc.internal.RemoteErrors;
import dev.multiproc.internal.protocol.Envelope;
import dev.multiproc.internal.protocol.Start;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link ChildProcess}: one child JVM that runs one Job. */
public final class ChildProcessImpl implements ChildProcess, ChildLink.Listener {
    private static final System.Logger LOG = System.getLogger("dev.multiproc.child");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Numbers the processes of this JVM in the order they were started. */
    private static final AtomicLong STARTS = new AtomicLong();

    private final ContextImpl context;
    private final byte[] job;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private volatile String name;
    private volatile boolean daemon;
    private volatile ChildLink link;
    private volatile Throwable failure;
    /** When it was started among this JVM's processes (1 for the first), or 0 until then. */
    private volatile long startOrder;

    public ChildProcessImpl(ContextImpl context, byte[] job, String name) {
        this.context = context;
        this.job = job;
        this.name = name;
    }

    @Override
    public synchronized ChildProcess start() {
        if (link != null) {
            throw new IllegalStateException(name + " was already started; a process can be started once");
        }
        startOrder = STARTS.incrementAndGet();
        context.track(this, exit);
        try {
            link = ChildLink.launch(context, context.newChildId(), name, this, START_TIMEOUT);
        } catch (RuntimeException | Error e) {
            context.untrack(this);
            throw e;
        }
        return this;
    }

    @Override
    public void onConnected(ChildLink link) {
        link.send(Envelope.newBuilder().setStart(link.start(Start.Role.PROCESS).setJob(ByteString.copyFrom(job)))
                .build());
    }

    @Override
    public void onMessage(ChildLink link, Envelope envelope) {
        if (envelope.getBodyCase() == Envelope.BodyCase.DONE) {
            if (envelope.getDone().hasError()) {
                failure = RemoteErrors.fromProto(envelope.getDone().getError(), context.codec());
            }
            link.release();
        }
    }

    @Override
    public void onExit(ChildLink link, int exitStatus) {
        if (link.startFailure() != null) {
            failure = link.startFailure();
            // loud even if nobody joins: a parent waiting on a queue for this child's item learns why here
            LOG.log(System.Logger.Level.WARNING, failure.getMessage());
        } else if (failure == null && link.stoppedBecause() != null) {
            failure = link.stoppedBecause();
        }
        exit.complete(exitStatus);
    }

    /** Throws, in the caller's thread, why the child could not start, if it could not. */
    private void throwIfStartFailed() {
        if (failure instanceof ChildStartException started) {
            throw CallerFrames.copy(started);
        }
    }

    private ChildLink started() {
        ChildLink current = link;
        if (current == null) {
            throw new IllegalStateException(name + " has not been started; call start() first");
        }
        return current;
    }

    @Override
    public void join() throws InterruptedException {
        started();
        try {
            exit.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        throwIfStartFailed();
    }

    @Override
    public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
        started();
        try {
            exit.get(timeout, unit);
            throwIfStartFailed();
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** @return when this process was started among this JVM's processes (1 for the first), or 0 if it was not */
    public long startOrder() {
        return startOrder;
    }

    public void awaitExitIfStarted() throws InterruptedException {
        if (link != null) {
            try {
                exit.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    @Override
    public boolean isAlive() {
        return link != null && !exit.isDone();
    }

    @Override
    public OptionalInt exitCode() {
        return exit.isDone() ? OptionalInt.of(exit.join()) : OptionalInt.empty();
    }

    @Override
    public Optional<Throwable> failure() {
        return exit.isDone() ? Optional.ofNullable(failure) : Optional.empty();
    }

    @Override
    public long pid() {
        return started().pid();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized ChildProcess name(String name) {
        requireUnstarted();
        this.name = java.util.Objects.requireNonNull(name, "name");
        return this;
    }

    @Override
    public boolean isDaemon() {
        return daemon;
    }

    @Override
    public synchronized ChildProcess daemon(boolean daemon) {
        requireUnstarted();
        this.daemon = daemon;
        return this;
    }

    private void requireUnstarted() {
        if (link != null) {
            throw new IllegalStateException(name + " is already started");
        }
    }

    @Override
    public void terminate() {
        ChildLink current = link;
        if (current != null) {
            current.stopRequested();
            current.process().toHandle().destroy();
        }
    }

    @Override
    public void kill() {
        ChildLink current = link;
        if (current != null) {
            current.stopRequested();
            current.process().toHandle().destroyForcibly();
        }
    }

    @Override
    public String toString() {
        ChildLink current = link;
        return current == null ? name + " (not started)" : current.displayName();
    }
}
