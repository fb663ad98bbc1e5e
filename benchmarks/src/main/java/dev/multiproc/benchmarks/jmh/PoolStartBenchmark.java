package dev.multiproc.benchmarks.jmh;

import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.Pool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Pool start-up to first result: {@code ctx.pool()} (one worker per processor) and {@code apply(x -> x + 1, 1)}.
 * Closing the pool is not timed (it happens in an invocation-level tear-down), nor is opening the context.
 * Python: {@code ctx.Pool()} and {@code apply(inc, (1,))}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
public class PoolStartBenchmark {
    /** The transport; {@link dev.multiproc.benchmarks.BenchmarkMain} passes every one on the class path. */
    @Param({"pipe", "socket"})
    public String transport;

    private Context context;
    private Pool pool;

    /** Opens the context. */
    @Setup(Level.Trial)
    public void openContext() {
        context = Multiproc.context(transport);
    }

    /** Closes the pool the invocation started. */
    @TearDown(Level.Invocation)
    public void closePool() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }

    /** Closes the context. */
    @TearDown(Level.Trial)
    public void closeContext() {
        context.close();
    }

    /**
     * @return the first result
     */
    @Benchmark
    public Integer startToFirstResult() {
        pool = context.pool();
        return pool.apply(Peers::increment, 1);
    }
}
