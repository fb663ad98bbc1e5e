package dev.multiproc.internal.child;

import dev.multiproc.ContextOption;
import dev.multiproc.ParentProcess;
import dev.multiproc.MultiprocException;
import dev.multiproc.ProtocolException;
import dev.multiproc.internal.Protocol;
import dev.multiproc.internal.handle.Invoker;
import dev.multiproc.internal.handle.LentItems;
import dev.multiproc.internal.protocol.Call;
import dev.multiproc.internal.protocol.Cancel;
import dev.multiproc.internal.protocol.Envelope;
import dev.multiproc.internal.protocol.Op;
import dev.multiproc.internal.protocol.Reply;
import dev.multiproc.internal.protocol.RunTask;
import dev.multiproc.internal.protocol.Start;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.MessageHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The runtime of a child process: its channel to the parent, the commands that arrive on it, and the hub calls its
 * handles make. Replies are matched to calls on the channel's thread; commands (Start, RunTask, Shutdown) go to the
 * child's main thread, so a task that waits on a shared lock never blocks the channel.
 */
public final class ChildRuntime implements MessageHandler, Invoker {
    /**
     * How long a thread waiting for the hub's answer spins first: the parent's context passes its value of
     * {@link ContextOption#SPIN_MICROS} to its children as the system property, and a child has one context.
     */
    private final long spinNanos = TimeUnit.MICROSECONDS.toNanos(ContextOption.SPIN_MICROS.fromSystemProperties());

    /** Exit status of a child whose parent is gone or whose channel broke. */
    static final int EXIT_PARENT_GONE = 3;

    private static volatile ChildRuntime current;

    private final String contextId;
    private final MessageChannel channel;
    /** True for a remote worker, which joined a parent on another host; false for a child the parent spawned. */
    private final boolean remote;
    /** Completes when the channel to the parent has closed. */
    private final CompletableFuture<Void> channelClosed = new CompletableFuture<>();
    /** This process's name and role and its parent, from the parent's {@code Start}; null until it arrives. */
    private volatile Identity identity;

    /** Who this process is, as the parent's {@code Start} says. */
    private record Identity(String name, boolean worker, ParentProcess parent) {
    }
    private final BlockingQueue<Envelope> commands = new LinkedBlockingQueue<>();
    /** The task a worker's main thread runs, set once by a worker; null in other children. */
    private volatile RunningTask runningTask;
    private final Map<Long, CompletableFuture<Reply>> pending = new ConcurrentHashMap<>();
    private final AtomicLong callIds = new AtomicLong();
    /** The queues' elements lent to this process, by object id. */
    private final Map<Long, LentItems> lent = new ConcurrentHashMap<>();
    /** The takes whose replies may carry lent elements, by call id. */
    private final Map<Long, LentItems> batchTakes = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService timer;
    /** Quiet calls the hub refused (see {@link #invokeQuietly}), by object id, not yet reported to a caller. */
    private final Map<Long, Reply> refused = new ConcurrentHashMap<>();
    /** The status to exit with once the parent releases this child (closes its end), or -1 if not finished. */
    private volatile int releaseStatus = -1;

    ChildRuntime(String contextId, MessageChannel channel, boolean remote) {
        this.contextId = contextId;
        this.channel = channel;
        this.remote = remote;
    }

    /** The parent's {@code Start} arrived: it says who this process is, and who its parent is. */
    void started(Start start) {
        identity = new Identity(start.getName(), start.getRole() == Start.Role.WORKER, new ParentProcessImpl(
                start.getParentName(), start.getParentPid(), start.getParentStartMillis(), remote, channelClosed));
    }

    /** @return this process's name, as its parent shows it; null before the parent's {@code Start} came */
    public String name() {
        Identity known = identity;
        return known == null ? null : known.name();
    }

    /** @return true in a pool worker (once the parent's {@code Start} came) */
    public boolean isWorker() {
        Identity known = identity;
        return known != null && known.worker();
    }

    /** @return the process that started this one; null before the parent's {@code Start} came */
    public ParentProcess parent() {
        Identity known = identity;
        return known == null ? null : known.parent();
    }

    /** How many bytes of quiet puts may be on their way before one put waits for the hub's answer. */
    static final long QUIET_WINDOW_BYTES = 8 << 20;
    /** Bytes of quiet puts sent since the last put that waited. */
    private final java.util.concurrent.atomic.AtomicLong quietBytes = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Counts a quiet put of {@code size} bytes against {@link #QUIET_WINDOW_BYTES}.
     *
     * @return true if the window is full: this put must wait for its answer (the window then starts again)
     */
    public boolean quietWindowFull(long size) {
        long total = quietBytes.addAndGet(size);
        if (total < QUIET_WINDOW_BYTES) {
            return false;
        }
        quietBytes.addAndGet(-total);
        return true;
    }

    @Override
    public int maxMessageSize() {
        return channel.maxMessageSize();
    }

    /** @return the runtime of this child process, or null in a process multiproc did not start */
    public static ChildRuntime current() {
        return current;
    }

    static void install(ChildRuntime runtime) {
        current = runtime;
    }

    public String contextId() {
        return contextId;
    }

    BlockingQueue<Envelope> commands() {
        return commands;
    }

    /** A worker's main thread says which task it runs, for the parent's {@code Interrupt} messages. */
    void runningTask(RunningTask task) {
        runningTask = task;
    }

    void send(Envelope envelope) throws IOException {
        channel.send(ByteBuffer.wrap(envelope.toByteArray()));
    }

    /**
     * Marks this child finished: when the parent now closes the channel or stdin, exit with {@code status}.
     * Waiting for the parent's close, rather than exiting at once, lets the thread blocked reading the channel
     * return first: HotSpot's exit waits up to 300 ms for threads blocked in native reads.
     */
    void finished(int status) {
        releaseStatus = status;
    }

    /** The channel or stdin reached its end: exit as finished, or at once if the parent is gone. */
    void released() {
        int status = releaseStatus;
        ChildMain.flushOutput();
        if (status >= 0) {
            System.exit(status);
        }
        Runtime.getRuntime().halt(EXIT_PARENT_GONE);
    }

    @Override
    public void onMessage(ByteBuffer message) {
        Envelope envelope;
        try {
            envelope = Envelope.parseFrom(message);
        } catch (IOException e) {
            onClose(new ProtocolException("unreadable message from the parent", e));
            return;
        }
        switch (envelope.getBodyCase()) {
            case SHUTDOWN -> finished(0);     // the parent closes our end right after: know it before the EOF
            case REFUSED -> finished(2);
            case INTERRUPT -> {
                // here, not through commands: the worker's main thread is busy with the task to stop
                RunningTask task = runningTask;
                if (task != null) {
                    task.interrupt(envelope.getInterrupt().getTaskId());
                }
                return;
            }
            default -> {
            }
        }
        if (envelope.getBodyCase() == Envelope.BodyCase.REPLY) {
            LentItems lender = batchTakes.remove(envelope.getReply().getCallId());
            if (lender != null && envelope.getReply().getMoreCount() > 0) {
                // lent_from numbers the element of the reply itself; the further ones follow it
                lender.add(envelope.getReply().getMoreList(), envelope.getReply().getLentFrom() + 1);
            }
            CompletableFuture<Reply> call = pending.remove(envelope.getReply().getCallId());
            if (call != null) {
                call.complete(envelope.getReply());
            } else if (envelope.getReply().getStatus() != Reply.Status.OK) {
                refused.putIfAbsent(envelope.getReply().getValue(), envelope.getReply());   // a quiet call's
            }
        } else {
            if (envelope.getBodyCase() == Envelope.BodyCase.BATCH) {
                for (RunTask task : envelope.getBatch().getTasksList()) {
                    commands.add(Envelope.newBuilder().setTask(task).build());
                }
            } else {
                commands.add(envelope);
            }
        }
    }

    @Override
    public void onClose(Throwable cause) {
        channelClosed.complete(null);
        if (cause != null && releaseStatus < 0) {
            System.err.println("multiproc child: channel to the parent failed: " + cause);
        }
        // Finished: exit with our status. Otherwise the parent is gone (or its channel broke): nobody is left to
        // give results to, so exit at once, without shutdown hooks that could block on the dead channel.
        released();
    }

    @Override
    public Reply invoke(Call.Builder call, boolean interruptible) throws InterruptedException {
        return invoke(call, interruptible, null);
    }

    /** @return the elements of queue {@code objectId} lent to this process */
    public LentItems lent(long objectId) {
        return lent.computeIfAbsent(objectId, id -> new LentItems(this, id));
    }

    /**
     * Like {@link #invoke(Call.Builder, boolean)}, for a take whose reply may carry further elements: they go to
     * {@code lender} on the channel's thread, before the caller sees the reply, so they keep the hub's order.
     */
    public Reply invoke(Call.Builder call, boolean interruptible, LentItems lender) throws InterruptedException {
        long callId = number(call);
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        if (lender != null) {
            batchTakes.put(callId, lender);
        }
        pending.put(callId, reply);
        long objectId = call.getObjectId();
        try {
            sendCall(call);
        } catch (MultiprocException e) {
            pending.remove(callId);
            batchTakes.remove(callId);
            throw e;
        }
        return Invoker.await(reply, interruptible, spinNanos, () -> {
            try {
                send(Envelope.newBuilder().setCancel(Cancel.newBuilder().setCallId(callId)
                        .setObjectId(objectId)).build());
            } catch (IOException e) {
                reply.completeExceptionally(e);
            }
        });
    }

    /**
     * Sends a call the hub carries out without a reply. A failure to send is ignored: the channel is gone, and with
     * it this process's claim on anything the call was about (the hub treats it as exited).
     */
    public void sendOneWay(long objectId, Op op, long a, long b) {
        try {
            send(Envelope.newBuilder().setCall(Call.newBuilder().setCallId(Protocol.ONE_WAY).setObjectId(objectId)
                    .setOp(op).setA(a).setB(b)).build());
        } catch (IOException e) {
            // the parent is gone or the channel broke: onClose ends this process
        }
    }

    /** Runs {@code task} after {@code nanos} on this process's one timer thread (a daemon, started when needed). */
    public void schedule(Runnable task, long nanos) {
        ScheduledExecutorService current = timer;
        if (current == null) {
            synchronized (this) {
                current = timer;
                if (current == null) {
                    current = Executors.newSingleThreadScheduledExecutor(runnable -> {
                        Thread thread = new Thread(runnable, "multiproc-child-timer");
                        thread.setDaemon(true);
                        return thread;
                    });
                    timer = current;
                }
            }
        }
        current.schedule(task, nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Sends a call without waiting for its reply: the hub answers only if it refuses it, and the refusal is kept
     * for {@link #takeRefusal}. The channel delivers the call before anything this process sends later, so the
     * hub sees this process's operations in the order they were made.
     */
    public void invokeQuietly(Call.Builder call) {
        number(call);
        sendCall(call.setQuiet(true));
    }

    /** Gives a call its id (and the calling thread's, for lock ownership). @return the call id */
    private long number(Call.Builder call) {
        long callId = callIds.incrementAndGet();
        call.setCallId(callId).setThreadId(Thread.currentThread().getId());
        return callId;
    }

    private void sendCall(Call.Builder call) {
        try {
            send(Envelope.newBuilder().setCall(call).build());
        } catch (IOException e) {
            throw new MultiprocException("cannot reach the parent process: " + e, e);
        }
    }

    /** @return the refusal of an earlier quiet call on {@code objectId}, once, or null if there was none */
    public Reply takeRefusal(long objectId) {
        return refused.remove(objectId);
    }
}
