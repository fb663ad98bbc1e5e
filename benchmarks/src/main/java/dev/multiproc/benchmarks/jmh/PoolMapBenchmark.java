package dev.multiproc.benchmarks.jmh;

import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.Pool;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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
 * {@code Pool.map} of tiny tasks ({@code x -> x + 1}) on a started pool of one worker per processor, in tasks per
 * second: 2,000 tasks with chunksize 1, and 100,000 tasks with the default chunking (Python's
 * ⌈len / (4 × workers)⌉). Python runs the same lists.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
public class PoolMapBenchmark {
    /** Tasks per call with chunksize 1. */
    public static final int CHUNKSIZE_1_TASKS = 2_000;
    /** Tasks per call with the default chunking. */
    public static final int DEFAULT_CHUNKING_TASKS = 100_000;

    /** The transport; {@link dev.multiproc.benchmarks.BenchmarkMain} passes every one on the class path. */
    @Param({"pipe", "socket"})
    public String transport;

    private Context context;
    private Pool pool;
    private List<Integer> few;
    private List<Integer> many;

    /** Opens the context and starts the pool. */
    @Setup(Level.Trial)
    public void startPool() {
        context = Multiproc.context(transport);
        pool = context.pool();
        few = IntStream.range(0, CHUNKSIZE_1_TASKS).boxed().toList();
        many = IntStream.range(0, DEFAULT_CHUNKING_TASKS).boxed().toList();
    }

    /** Closes the pool and the context. */
    @TearDown(Level.Trial)
    public void close() {
        pool.close();
        context.close();
    }

    /**
     * @return the results
     */
    @Benchmark
    @OperationsPerInvocation(CHUNKSIZE_1_TASKS)
    public List<Integer> mapChunksize1() {
        return pool.map(Peers::increment, few, 1);
    }

    /**
     * @return the results
     */
    @Benchmark
    @OperationsPerInvocation(DEFAULT_CHUNKING_TASKS)
    public List<Integer> mapDefaultChunking() {
        return pool.map(Peers::increment, many);
    }
}
