package dev.multiproc.benchmarks.jmh;

import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import java.util.ArrayList;
import java.util.List;
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
 * Child spawn and join latency: start 1 or 10 children whose target does nothing, all at once, and join them all.
 * Python: {@code ctx.Process(target=noop)}, {@code start()} each, {@code join()} each.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
public class SpawnBenchmark {
    /** The transport; {@link dev.multiproc.benchmarks.BenchmarkMain} passes every one on the class path. */
    @Param({"pipe", "socket"})
    public String transport;

    /** Children per call. */
    @Param({"1", "10"})
    public int children;

    private Context context;

    /** Opens the context. */
    @Setup(Level.Trial)
    public void openContext() {
        context = Multiproc.context(transport);
    }

    /** Closes the context. */
    @TearDown(Level.Trial)
    public void closeContext() {
        context.close();
    }

    /**
     * @return the last child's exit code
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    public int spawnAndJoin() throws InterruptedException {
        List<ChildProcess> started = new ArrayList<>(children);
        for (int i = 0; i < children; i++) {
            started.add(context.process(SpawnBenchmark::nothing).start());
        }
        int status = 0;
        for (ChildProcess child : started) {
            child.join();
            status = child.exitCode().orElse(-1);
        }
        return status;
    }

    private static void nothing() {
        // the child's whole target
    }
}
