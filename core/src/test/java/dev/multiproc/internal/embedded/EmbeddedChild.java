package dev.multiproc.internal.embedded;

import com.google.protobuf.ByteString;
import dev.multiproc.Task;
import dev.multiproc.internal.codec.DefaultCodec;
import dev.multiproc.internal.protocol.Envelope;
import dev.multiproc.internal.protocol.Hello;
import dev.multiproc.internal.protocol.Ready;
import dev.multiproc.internal.protocol.RunTask;
import dev.multiproc.internal.protocol.Start;
import dev.multiproc.internal.protocol.TaskResult;
import dev.multiproc.spi.MessageHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The child's side of one embedded child, played by the test, as Netty's {@code EmbeddedChannel} lets a test play
 * the network: it reads what the parent sends and answers only when, and how, the test says. Its process is real
 * but tiny (a shell that reads its stdin until the parent closes it), so the parent's side runs unchanged: the
 * child link, its lifeline and exit handling, the pool scheduler.
 */
public final class EmbeddedChild implements MessageHandler {
    private final String childId;
    private final Process process;
    private final EmbeddedChannel channel;
    private final LinkedBlockingQueue<Envelope> received = new LinkedBlockingQueue<>();
    /** Tasks received in a batch and not handed to the test yet. */
    private final List<RunTask> pending = new ArrayList<>();
    private volatile boolean closed;
    private volatile String refusal;

    EmbeddedChild(String childId, Process process, EmbeddedChannel channel) {
        this.childId = childId;
        this.process = process;
        this.channel = channel;
    }

    /** @return the child's id in its context */
    public String childId() {
        return childId;
    }

    /** @return its process, a shell that stands in for the JVM */
    public Process process() {
        return process;
    }

    @Override
    public void onMessage(ByteBuffer message) {
        Envelope envelope;
        try {
            envelope = Envelope.parseFrom(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (envelope.getBodyCase() == Envelope.BodyCase.REFUSED) {
            // what a real child does: it says why on its standard error and exits with status 3
            refusal = envelope.getRefused().getReason();
            process.destroyForcibly();
        }
        received.add(envelope);
    }

    /** @return why the parent refused this child, or null if it did not */
    public String refusal() {
        return refusal;
    }

    @Override
    public void onClose(Throwable cause) {
        closed = true;
    }

    /** @return true once the parent closed the channel (or the child did) */
    public boolean isClosed() {
        return closed;
    }

    /** Starts reading and greets the parent, as a child's first message does. */
    void connect(int protocolVersion) {
        channel.start(this);
        send(Envelope.newBuilder().setHello(Hello.newBuilder().setProtocolVersion(protocolVersion)
                .setPid(process.pid()).setChildId(childId).setJavaVersion(Runtime.version().toString())).build());
    }

    /**
     * Waits for the parent's {@code Start} and answers {@code Ready}, as a pool worker does after its initializer.
     *
     * @return the start
     */
    public Start startAsWorker() throws InterruptedException {
        Envelope first = next();
        if (first.getBodyCase() != Envelope.BodyCase.START) {
            throw new AssertionError("expected Start, got " + first.getBodyCase());
        }
        send(Envelope.newBuilder().setReady(Ready.getDefaultInstance()).build());
        return first.getStart();
    }

    /**
     * @return the next task the parent sent this worker, unpacked from a batch if it came in one
     * @throws AssertionError if something else came first, or nothing came within 20 seconds (scaled)
     */
    public RunTask nextTask() throws InterruptedException {
        return pending.isEmpty() ? task(next()) : pending.remove(0);
    }

    /**
     * @return a task the parent sent that the test has not taken yet, without waiting; null if none
     */
    public RunTask pollTask() {
        if (!pending.isEmpty()) {
            return pending.remove(0);
        }
        Envelope envelope = received.poll();
        return envelope == null ? null : task(envelope);
    }

    /**
     * @param millis how long to wait
     * @return the next task the parent sends within that time, or null if none comes
     */
    public RunTask pollTask(long millis) throws InterruptedException {
        if (!pending.isEmpty()) {
            return pending.remove(0);
        }
        Envelope envelope = received.poll(millis, TimeUnit.MILLISECONDS);
        return envelope == null ? null : task(envelope);
    }

    /** @return the envelope's task, or the first of its batch (the rest wait in {@link #pending}) */
    private RunTask task(Envelope envelope) {
        switch (envelope.getBodyCase()) {
            case TASK -> {
                return envelope.getTask();
            }
            case BATCH -> {
                pending.addAll(envelope.getBatch().getTasksList());
                return pending.remove(0);
            }
            default -> throw new AssertionError("expected a task, got " + envelope.getBodyCase());
        }
    }

    /** @return the arguments of a task, decoded */
    public static List<?> arguments(RunTask task) {
        return (List<?>) DefaultCodec.INSTANCE.decode(task.getArgs().toByteArray());
    }

    /**
     * Runs a task of {@code map}'s kind here, in the test's JVM, and answers with its results.
     *
     * @param task a task whose function is a {@link Task}, sent with the task (the first time this worker saw it)
     * @param function the function, if the task only names it (this worker saw it before); else null
     * @return the function, to pass for later tasks of the same map
     */
    @SuppressWarnings("unchecked")
    public Task<Object, Object> run(RunTask task, Task<Object, Object> function) throws Exception {
        Task<Object, Object> decoded = task.getFunction().isEmpty() ? function
                : (Task<Object, Object>) DefaultCodec.INSTANCE.decode(task.getFunction().toByteArray());
        List<Object> results = new ArrayList<>();
        for (Object argument : arguments(task)) {
            results.add(decoded.apply(argument));
        }
        answer(task, results);
        return decoded;
    }

    /** Answers a task with the given results, one per argument. */
    public void answer(RunTask task, List<?> results) {
        send(Envelope.newBuilder().setResult(TaskResult.newBuilder().setTaskId(task.getTaskId())
                .setValue(ByteString.copyFrom(DefaultCodec.INSTANCE.encode(new ArrayList<>(results))))).build());
    }

    /** Dies as a JVM that was killed would: its process ends, and with it its channel. */
    public void crash() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
        channel.close();
    }

    /** Sends bytes as one message, whatever they are (a garbled frame, say). */
    public void sendRaw(byte[] bytes) {
        try {
            channel.send(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one message to the parent. */
    public void send(Envelope envelope) {
        sendRaw(envelope.toByteArray());
    }

    /**
     * @return the id of the task the parent's next message asks this worker to stop ({@code Interrupt})
     * @throws AssertionError if something else came first, or nothing came within 20 seconds (scaled)
     */
    public long nextInterrupt() throws InterruptedException {
        Envelope envelope = next();
        if (envelope.getBodyCase() != Envelope.BodyCase.INTERRUPT) {
            throw new AssertionError("expected Interrupt, got " + envelope.getBodyCase());
        }
        return envelope.getInterrupt().getTaskId();
    }

    /** Greets the parent now: for a child that {@link EmbeddedTransport#keepSilent(int) was kept silent}. */
    public void greet() {
        connect(dev.multiproc.internal.Protocol.VERSION);
    }

    /**
     * @return the next message the parent sent this child
     * @throws AssertionError if nothing came within 20 seconds (scaled)
     */
    public Envelope nextMessage() throws InterruptedException {
        return next();
    }

    private Envelope next() throws InterruptedException {
        Envelope envelope = received.poll(EmbeddedTransport.millis(20), TimeUnit.MILLISECONDS);
        if (envelope == null) {
            throw new AssertionError("embedded child " + childId + " got nothing from the parent in 20 s (scaled)");
        }
        return envelope;
    }
}
