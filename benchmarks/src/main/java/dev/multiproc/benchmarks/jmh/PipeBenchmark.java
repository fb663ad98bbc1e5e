package dev.multiproc.benchmarks.jmh;

import dev.multiproc.ChildProcess;
import dev.multiproc.Connection;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.Pipe;
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
 * A {@link Pipe} between the JMH process and one child: round-trip latency of a small message (an {@code Integer}
 * object with {@code send}/{@code recv}, and 16 bytes with {@code sendBytes}/{@code recvBytes}; sampled, the
 * runner reports the median), and bulk throughput of 1 MiB byte messages (16 per call, then a wait for the
 * child's acknowledgement; one operation is one MiB, so operations per second are MiB/s).
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
public class PipeBenchmark {
    /** 1 MiB blocks per bulk call. */
    public static final int BLOCKS_PER_CALL = 16;

    /** The transport; {@link dev.multiproc.benchmarks.BenchmarkMain} passes every one on the class path. */
    @Param({"pipe", "socket"})
    public String transport;

    private Context context;
    private Connection<Object> objects;
    private Connection<Object> bytes;
    private ChildProcess objectPeer;
    private ChildProcess bytesPeer;
    private final Integer message = 12345;
    private final byte[] small = new byte[Peers.SMALL_BYTES];
    private final byte[] block = new byte[Peers.BULK_BYTES];
    private final byte[] end = new byte[0];

    /** Opens the context, two pipes and their peers. */
    @Setup(Level.Trial)
    public void startPeers() {
        context = Multiproc.context(transport);
        Pipe<Object> objectPipe = context.pipe();
        Pipe<Object> bytesPipe = context.pipe();
        Connection<Object> objectEnd = objectPipe.right();
        Connection<Object> bytesEnd = bytesPipe.right();
        objectPeer = context.process(() -> Peers.echoObjects(objectEnd)).daemon(true).start();
        bytesPeer = context.process(() -> Peers.serveBytes(bytesEnd)).daemon(true).start();
        objects = objectPipe.left();
        bytes = bytesPipe.left();
    }

    /**
     * Closes the pipes, waits for the peers and closes the context.
     *
     * @throws InterruptedException if interrupted
     */
    @TearDown(Level.Trial)
    public void close() throws InterruptedException {
        objects.close();
        bytes.close();
        Peers.reap(objectPeer);
        Peers.reap(bytesPeer);
        context.close();
    }

    /**
     * @return the echoed object
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object roundTripObject() throws InterruptedException {
        objects.send(message);
        return objects.recv();
    }

    /**
     * @return the echoed bytes
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] roundTripBytes() throws InterruptedException {
        bytes.sendBytes(small);
        return bytes.recvBytes();
    }

    /**
     * @return the acknowledgement
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BLOCKS_PER_CALL)
    public byte[] bulk1MiB() throws InterruptedException {
        for (int i = 0; i < BLOCKS_PER_CALL; i++) {
            bytes.sendBytes(block);
        }
        bytes.sendBytes(end);
        return bytes.recvBytes();
    }
}
