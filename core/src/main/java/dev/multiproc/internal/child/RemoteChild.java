package dev.multiproc.internal.child;

import com.google.protobuf.ByteString;
import dev.multiproc.internal.Protocol;
import dev.multiproc.internal.protocol.Envelope;
import dev.multiproc.internal.protocol.Hello;
import dev.multiproc.internal.protocol.Output;
import dev.multiproc.spi.MessageChannel;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;

/**
 * The life of a remote worker, once its transport has connected and authenticated it: the same worker loop as a
 * spawned child ({@link ChildMain}), without the stdin lifeline. A remote worker is not our child: its stdin may be
 * a terminal or {@code /dev/null}. Its channel is its lifeline instead: when the connection drops without a
 * {@code Shutdown}, the worker halts with status 3, as a child does when its stdin ends.
 *
 * <p>Its {@code System.out} lines travel to the parent as {@code Output} messages and appear on the parent's
 * standard output, like a local child's; its {@code System.err} stays on its own host, where whoever started it
 * can read why it stopped.
 */
public final class RemoteChild {
    private RemoteChild() {
    }

    /**
     * Serves as a pool worker over {@code channel} until the parent shuts it down (exit status 0) or the
     * connection drops (status 3). Never returns.
     *
     * @param contextId the id of the parent's context, as the parent's transport announced it
     * @param childId the id this worker authenticated with; its {@code Hello} carries it
     * @param channel the connected, authenticated channel to the parent, not yet started
     */
    public static void serve(String contextId, String childId, MessageChannel channel) {
        FileOutputStream rawErr = new FileOutputStream(FileDescriptor.err);
        ChildMain.err = new LineAtomicOutputStream((bytes, length) -> rawErr.write(bytes, 0, length));
        System.setErr(new PrintStream(ChildMain.err, true));
        ChildRuntime runtime = new ChildRuntime(contextId, channel, true);
        ChildMain.out = new LineAtomicOutputStream((bytes, length) -> runtime.send(Envelope.newBuilder()
                .setOutput(Output.newBuilder().setStream(Output.Stream.STDOUT)
                        .setData(ByteString.copyFrom(bytes, 0, length))).build()));
        System.setOut(new PrintStream(ChildMain.out, true));
        ChildRuntime.install(runtime);
        channel.start(runtime);
        try {
            runtime.send(Envelope.newBuilder().setHello(Hello.newBuilder()
                    .setProtocolVersion(Protocol.VERSION).setPid(ProcessHandle.current().pid()).setChildId(childId)
                    .setJavaVersion(Runtime.version().toString())).build());
            ChildMain.serve(runtime);
        } catch (IOException e) {
            System.err.println("multiproc remote worker: the connection to the parent broke: " + e);
            runtime.released();
        } catch (InterruptedException e) {
            runtime.released();
        }
    }
}
