package dev.multiproc.benchmarks.jmh;

import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.Queue;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedLock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Contended increments of one {@link SharedInt} from two child processes at once: a call orders both children to
 * increment for 50 ms, under a {@link SharedLock} ({@code value.set(value.get() + 1)}, as Python's
 * {@code with lock: v.value += 1}) or with {@code getAndAdd(1)}, and adds up the increments they report. The
 * figure is the secondary metric {@code increments} (per second of measured time, orders included); the JMH
 * process only gives the orders, so that no increment is local to the process that may hold the state. Sized by
 * time, not by count, because the transports differ by more than two orders of magnitude.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
public class SharedIntBenchmark {
    /** How long each child increments per call. */
    public static final int SLICE_MILLIS = 50;

    /** The transport; {@link dev.multiproc.benchmarks.BenchmarkMain} passes every one on the class path. */
    @Param({"pipe", "socket"})
    public String transport;

    private Context context;
    private Queue<Integer> orders;
    private Queue<Long> acks;
    private ChildProcess first;
    private ChildProcess second;

    /** The increments made in an iteration, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Increments {
        /** Increments so far in this iteration. */
        public long increments;

        /** Starts each iteration from zero. */
        @Setup(Level.Iteration)
        public void reset() {
            increments = 0;
        }
    }

    /** Opens the context, the counter, the lock and the two children. */
    @Setup(Level.Trial)
    public void startChildren() {
        context = Multiproc.context(transport);
        SharedInt counter = context.sharedInt(0);
        SharedLock lock = context.lock();
        Queue<Integer> orderQueue = context.queue();
        Queue<Long> ackQueue = context.queue();
        first = context.process(() -> Peers.increment(orderQueue, ackQueue, counter, lock)).daemon(true).start();
        second = context.process(() -> Peers.increment(orderQueue, ackQueue, counter, lock)).daemon(true).start();
        orders = orderQueue;
        acks = ackQueue;
    }

    /**
     * Closes the queues, waits for the children and closes the context.
     *
     * @throws InterruptedException if interrupted
     */
    @TearDown(Level.Trial)
    public void close() throws InterruptedException {
        orders.close();
        acks.close();
        Peers.reap(first);
        Peers.reap(second);
        context.close();
    }

    /**
     * @param counted where the increments are counted
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    public void locked(Increments counted) throws InterruptedException {
        counted.increments += run(SLICE_MILLIS);
    }

    /**
     * @param counted where the increments are counted
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    public void atomic(Increments counted) throws InterruptedException {
        counted.increments += run(-SLICE_MILLIS);
    }

    private long run(int order) throws InterruptedException {
        orders.put(order);
        orders.put(order);
        return acks.get() + acks.get();
    }
}
