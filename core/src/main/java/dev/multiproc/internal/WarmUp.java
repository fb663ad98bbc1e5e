package dev.multiproc.internal;

import com.google.protobuf.ByteString;
import dev.multiproc.internal.codec.Codec;
import dev.multiproc.internal.codec.DefaultCodec;
import dev.multiproc.internal.protocol.Batch;
import dev.multiproc.internal.protocol.Call;
import dev.multiproc.internal.protocol.Envelope;
import dev.multiproc.internal.protocol.Hello;
import dev.multiproc.internal.protocol.JobDone;
import dev.multiproc.internal.protocol.Output;
import dev.multiproc.internal.protocol.Ready;
import dev.multiproc.internal.protocol.RemoteError;
import dev.multiproc.internal.protocol.Reply;
import dev.multiproc.internal.protocol.RunTask;
import dev.multiproc.internal.protocol.Start;
import dev.multiproc.internal.protocol.TaskResult;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets a parent ready for its first child while the child's JVM is still starting: a parent spends most of a
 * child's start-up waiting for it, and without this it then meets its own cold code (protobuf's first parse and
 * build of every message type, the codec's first decoding) on the critical path, after the child's Hello has
 * arrived. Once per JVM, in a daemon thread started right after the first child is spawned (not before: on two
 * cores it would slow the spawn itself); the work is what the parent would do anyway, moved off the path.
 * {@code -Dmultiproc.warmUp=false} turns it off.
 */
public final class WarmUp {
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private WarmUp() {
    }

    /** Starts the warm-up, once per JVM. */
    public static void start() {
        if (!Boolean.parseBoolean(System.getProperty("multiproc.warmUp", "true")) || !STARTED.compareAndSet(false,
                true)) {
            return;
        }
        Thread thread = new Thread(WarmUp::run, "multiproc-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        try {
            Codec codec = DefaultCodec.INSTANCE;
            byte[] values = codec.encode(List.of(1, 2L, "x"));
            codec.decode(values);
            ByteString bytes = ByteString.copyFrom(values);
            RemoteError error = RemoteError.newBuilder().setClassName("x").setMessage("x").build();
            for (Envelope envelope : List.of(
                    Envelope.newBuilder().setHello(Hello.newBuilder().setProtocolVersion(Protocol.VERSION).setPid(1)
                            .setChildId("x").setJavaVersion("x")).build(),
                    Envelope.newBuilder().setStart(Start.newBuilder().setRole(Start.Role.WORKER).setJob(bytes)
                            .setName("x")).build(),
                    Envelope.newBuilder().setReady(Ready.newBuilder().setError(error)).build(),
                    Envelope.newBuilder().setBatch(Batch.newBuilder().addTasks(RunTask.newBuilder().setTaskId(1)
                            .setFunctionId(1).setFunction(bytes).setArgs(bytes).setMode(RunTask.Mode.APPLY)))
                            .build(),
                    Envelope.newBuilder().setTask(RunTask.newBuilder().setTaskId(1).setArgs(bytes)).build(),
                    Envelope.newBuilder().setResult(TaskResult.newBuilder().setTaskId(1).setValue(bytes)).build(),
                    Envelope.newBuilder().setDone(JobDone.newBuilder().setError(error)).build(),
                    Envelope.newBuilder().setOutput(Output.newBuilder().setStream(Output.Stream.STDOUT)
                            .setData(bytes)).build(),
                    Envelope.newBuilder().setCall(Call.newBuilder().setCallId(1).setObjectId(1).setData(bytes))
                            .build(),
                    Envelope.newBuilder().setReply(Reply.newBuilder().setCallId(1).setData(bytes)).build())) {
                if (!Envelope.parseFrom(envelope.toByteArray()).equals(envelope)) {
                    return; // cannot happen; the comparison keeps the parse from being dead code
                }
            }
        } catch (Exception | LinkageError e) {
            // only a head start was lost: the same code runs, and reports, when it is needed
        }
    }
}
