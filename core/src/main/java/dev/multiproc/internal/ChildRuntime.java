package dev.multiproc.internal;

import dev.multiproc.ProtocolException;
import dev.multiproc.internal.protocol.Call;
import dev.multiproc.internal.protocol.Cancel;
import dev.multiproc.internal.protocol.Envelope;
import dev.multiproc.internal.protocol.Reply;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.MessageHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The runtime of a child process: its channel to the parent, the commands that arrive on it, and the hub calls its
 * handles make. Replies are matched to calls on the channel's thread; commands (Start, RunTask, Shutdown) go to the
 * child's main thread, so a task that waits on a shared lock never blocks the channel.
 */
public final class ChildRuntime implements MessageHandler, Invoker {
    /** Exit status of a child whose parent is gone or whose channel broke. */
    static final int EXIT_PARENT_GONE = 3;

    private static volatile ChildRuntime current;

    private final String contextId;
    private final MessageChannel channel;
    private final BlockingQueue<Envelope> commands = new LinkedBlockingQueue<>();
    private final Map<Long, CompletableFuture<Reply>> pending = new ConcurrentHashMap<>();
    private final AtomicLong callIds = new AtomicLong();
    private volatile boolean exiting;

    ChildRuntime(String contextId, MessageChannel channel) {
        this.contextId = contextId;
        this.channel = channel;
    }

    /** @return the runtime of this child process, or null in a process multiproc did not start */
    public static ChildRuntime current() {
        return current;
    }

    static void install(ChildRuntime runtime) {
        current = runtime;
    }

    String contextId() {
        return contextId;
    }

    BlockingQueue<Envelope> commands() {
        return commands;
    }

    void send(Envelope envelope) throws IOException {
        channel.send(ByteBuffer.wrap(envelope.toByteArray()));
    }

    /** Marks an orderly exit: the channel closing from now on is expected. */
    void exiting() {
        exiting = true;
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
        if (envelope.getBodyCase() == Envelope.BodyCase.REPLY) {
            CompletableFuture<Reply> call = pending.remove(envelope.getReply().getCallId());
            if (call != null) {
                call.complete(envelope.getReply());
            }
        } else {
            commands.add(envelope);
        }
    }

    @Override
    public void onClose(Throwable cause) {
        if (!exiting) {
            // The parent is gone (or its channel broke): nobody is left to give results to. Exit at once, without
            // shutdown hooks that could block on the dead channel.
            ChildMain.flushOutput();
            if (cause != null) {
                System.err.println("multiproc child: channel to the parent failed: " + cause);
            }
            Runtime.getRuntime().halt(EXIT_PARENT_GONE);
        }
    }

    @Override
    public Reply invoke(Call.Builder call, boolean interruptible) throws InterruptedException {
        long callId = callIds.incrementAndGet();
        call.setCallId(callId).setThreadId(Thread.currentThread().getId());
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        pending.put(callId, reply);
        long objectId = call.getObjectId();
        try {
            send(Envelope.newBuilder().setCall(call).build());
        } catch (IOException e) {
            pending.remove(callId);
            throw new dev.multiproc.MultiprocException("cannot reach the parent process: " + e, e);
        }
        return Invoker.await(reply, interruptible, () -> {
            try {
                send(Envelope.newBuilder().setCancel(Cancel.newBuilder().setCallId(callId)
                        .setObjectId(objectId)).build());
            } catch (IOException e) {
                reply.completeExceptionally(e);
            }
        });
    }
}
