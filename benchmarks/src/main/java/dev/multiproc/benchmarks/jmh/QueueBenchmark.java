package dev.multiproc.benchmarks.jmh;

import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.Queue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Queue} throughput from the JMH process to a consumer child, in messages per second: a call puts a batch
 * (1,000 messages of 16 bytes, or 16 of 1 MiB, as {@code byte[]}), then an empty message, and waits for the
 * consumer's acknowledgement on a second queue. For 1 MiB messages, messages per second are MiB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
public class QueueBenchmark {
    /** Small messages per call. */
    public static final int SMALL_PER_CALL = 1_000;
    /** 1 MiB messages per call. */
    public static final int BULK_PER_CALL = 16;

    /** The transport; {@link dev.multiproc.benchmarks.BenchmarkMain} passes every one on the class path. */
    @Param({"pipe", "socket"})
    public String transport;

    private Context context;
    private Queue<byte[]> items;
    private Queue<Integer> acks;
    private ChildProcess consumer;
    private final byte[] small = new byte[Peers.SMALL_BYTES];
    private final byte[] block = new byte[Peers.BULK_BYTES];
    private final byte[] end = new byte[0];

    /** Opens the context, the queues and the consumer. */
    @Setup(Level.Trial)
    public void startConsumer() {
        context = Multiproc.context(transport);
        Queue<byte[]> itemQueue = context.queue();
        Queue<Integer> ackQueue = context.queue();
        consumer = context.process(() -> Peers.consume(itemQueue, ackQueue)).daemon(true).start();
        items = itemQueue;
        acks = ackQueue;
    }

    /**
     * Closes the queues, waits for the consumer and closes the context.
     *
     * @throws InterruptedException if interrupted
     */
    @TearDown(Level.Trial)
    public void close() throws InterruptedException {
        items.close();
        acks.close();
        Peers.reap(consumer);
        context.close();
    }

    /**
     * @return the acknowledgement
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @OperationsPerInvocation(SMALL_PER_CALL)
    public Integer small() throws InterruptedException {
        for (int i = 0; i < SMALL_PER_CALL; i++) {
            items.put(small);
        }
        items.put(end);
        return acks.get();
    }

    /**
     * @return the acknowledgement
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @OperationsPerInvocation(BULK_PER_CALL)
    public Integer bulk1MiB() throws InterruptedException {
        for (int i = 0; i < BULK_PER_CALL; i++) {
            items.put(block);
        }
        items.put(end);
        return acks.get();
    }
}
