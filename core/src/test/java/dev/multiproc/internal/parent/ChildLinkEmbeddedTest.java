package dev.multiproc.internal.parent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.multiproc.Context;
import dev.multiproc.MultiprocException;
import dev.multiproc.Pool;
import dev.multiproc.WorkerCrashedException;
import dev.multiproc.internal.embedded.EmbeddedChild;
import dev.multiproc.internal.embedded.EmbeddedTransport;
import dev.multiproc.internal.protocol.Envelope;
import dev.multiproc.internal.protocol.Output;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The parent's side of a child ({@link ChildLink}) against children the test plays: the handshake, what it prints
 * for the child, and the reason a worker is lost when it speaks nonsense. No JVM is started.
 */
@Timeout(120)
class ChildLinkEmbeddedTest {

    static int same(int x) {
        return x;
    }

    /**
     * A child of another multiproc release is refused with the reason, and a pool whose workers are all refused fails
     * its callers with that reason rather than retrying forever.
     */
    @Test
    void aChildOfAnotherProtocolVersionIsRefusedAndThePoolSaysWhy() throws Exception {
        EmbeddedTransport embedded = new EmbeddedTransport();
        embedded.speakProtocolVersion(999);
        try (Context context = embedded.context(); Pool pool = context.poolBuilder().workers(1).build()) {
            EmbeddedChild child = embedded.nextChild();
            MultiprocException error = assertThrows(MultiprocException.class,
                    () -> pool.map(ChildLinkEmbeddedTest::same, List.of(1)));
            assertTrue(child.refusal().contains("protocol version 999 is not this parent's"), child.refusal());
            StringBuilder causes = new StringBuilder();
            for (Throwable t = error; t != null; t = t.getCause()) {
                causes.append(t).append(" / ");
            }
            assertTrue(causes.toString().contains("protocol version 999"), "the user is not told why: " + causes);
        }
    }

    /** Lines a child sends as Output reach the parent's System.out whole. */
    @Test
    void aChildsOutputReachesTheParentsStandardOutput() throws Exception {
        EmbeddedTransport embedded = new EmbeddedTransport();
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (Context context = embedded.context()) {
            EmbeddedTransport.StartedPool started = embedded.startPool(context.poolBuilder().workers(1), 1);
            EmbeddedChild worker = started.workers().get(0);
            try (Pool pool = started.pool()) {
                System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
                worker.send(Envelope.newBuilder().setOutput(Output.newBuilder().setStream(Output.Stream.STDOUT)
                        .setData(ByteString.copyFromUtf8("from the child\n"))).build());
                CompletableFuture<List<Integer>> mapped = pool.mapAsync(ChildLinkEmbeddedTest::same, List.of(7));
                worker.run(worker.nextTask(), null); // after the output: a channel keeps order
                assertEquals(List.of(7), mapped.get(EmbeddedTransport.millis(20), TimeUnit.MILLISECONDS));
                assertEquals("from the child\n", captured.toString(StandardCharsets.UTF_8));
            } finally {
                System.setOut(original);
            }
        }
    }

    /**
     * A worker that sends bytes that are not a message is stopped, and the task it held fails with a
     * {@link WorkerCrashedException} that says the parent stopped it because it could not read its message.
     */
    @Test
    void aWorkerThatSendsGarbageIsStoppedAndItsTaskFailsWithTheReason() throws Exception {
        EmbeddedTransport embedded = new EmbeddedTransport();
        try (Context context = embedded.context()) {
            EmbeddedTransport.StartedPool started = embedded.startPool(context.poolBuilder().workers(1).retries(0),
                    1);
            EmbeddedChild worker = started.workers().get(0);
            try (Pool pool = started.pool()) {
                CompletableFuture<List<Integer>> mapped = pool.mapAsync(ChildLinkEmbeddedTest::same, List.of(1));
                worker.nextTask();
                worker.sendRaw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
                ExecutionException failed = assertThrows(ExecutionException.class,
                        () -> mapped.get(EmbeddedTransport.millis(30), TimeUnit.MILLISECONDS));
                WorkerCrashedException crashed = assertInstanceOf(WorkerCrashedException.class, failed.getCause());
                assertTrue(crashed.getMessage().contains("could not read"), crashed.getMessage());
                pool.terminate();
            }
        }
    }
}
