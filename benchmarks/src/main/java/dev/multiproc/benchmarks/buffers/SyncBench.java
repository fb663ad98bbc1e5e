package dev.multiproc.benchmarks.buffers;

import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.SharedBarrier;
import dev.multiproc.SharedEvent;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedSemaphore;
import dev.multiproc.SharedValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Round trips between two processes through a pair of events and through a pair of semaphores, and generations of a
 * barrier of four processes, printed as one line of JSON ({@code event_us}, {@code semaphore_us}: median
 * microseconds per round trip over 5 batches of {@value #ROUNDS}; {@code barrier_us}: per generation): how fast one
 * process wakes another with each primitive on a transport; and a {@link SharedValue}'s get and set of an Integer
 * and of a 1 KiB byte[] in a child, and getAndSet of an Integer from two children at once ({@code value_*_us},
 * median microseconds per operation).
 * Usage: {@code java -cp multiproc-benchmarks.jar dev.multiproc.benchmarks.buffers.SyncBench [transport]}.
 */
public final class SyncBench {
    private static final int ROUNDS = 2_000;
    private static final int BATCHES = 5;
    private static final int PARTIES = 4;

    private SyncBench() {
    }

    /**
     * Runs the round trips.
     *
     * @param args {@code args[0]}: the transport (default shm)
     * @throws Exception if interrupted, or a barrier broke
     */
    public static void main(String[] args) throws Exception {
        String transport = args.length > 0 ? args[0] : "shm";
        try (Context context = Multiproc.context(transport)) {
            double event = events(context);
            double semaphore = semaphores(context);
            double barrier = barrier(context);
            double[] value = values(context);
            System.out.println("{\"transport\": \"" + transport + "\", \"event_us\": " + event + ", \"semaphore_us\": "
                    + semaphore + ", \"barrier_us\": " + barrier + ", \"value_get_int_us\": " + value[0]
                    + ", \"value_set_int_us\": " + value[1] + ", \"value_get_1k_us\": " + value[2]
                    + ", \"value_set_1k_us\": " + value[3] + ", \"value_get_and_set_2p_us\": " + value[4] + "}");
        }
    }

    static void echoEvents(SharedEvent ping, SharedEvent pong, int rounds) throws InterruptedException {
        for (int i = 0; i < rounds; i++) {
            ping.await();
            ping.clear();
            pong.set();
        }
    }

    private static double events(Context context) throws InterruptedException {
        SharedEvent ping = context.event();
        SharedEvent pong = context.event();
        ChildProcess child = context.process(() -> echoEvents(ping, pong, ROUNDS * (BATCHES + 1))).start();
        double[] micros = new double[BATCHES + 1];
        for (int batch = 0; batch <= BATCHES; batch++) {
            long start = System.nanoTime();
            for (int i = 0; i < ROUNDS; i++) {
                ping.set();
                pong.await();
                pong.clear();
            }
            micros[batch] = (System.nanoTime() - start) / 1e3 / ROUNDS;
        }
        child.join();
        return median(Arrays.copyOfRange(micros, 1, micros.length)); // the first batch warms up
    }

    static void echoSemaphores(SharedSemaphore ping, SharedSemaphore pong, int rounds) throws InterruptedException {
        for (int i = 0; i < rounds; i++) {
            ping.acquire();
            pong.release();
        }
    }

    private static double semaphores(Context context) throws InterruptedException {
        SharedSemaphore ping = context.semaphore(0);
        SharedSemaphore pong = context.semaphore(0);
        ChildProcess child = context.process(() -> echoSemaphores(ping, pong, ROUNDS * (BATCHES + 1))).start();
        double[] micros = new double[BATCHES + 1];
        for (int batch = 0; batch <= BATCHES; batch++) {
            long start = System.nanoTime();
            for (int i = 0; i < ROUNDS; i++) {
                ping.release();
                pong.acquire();
            }
            micros[batch] = (System.nanoTime() - start) / 1e3 / ROUNDS;
        }
        child.join();
        return median(Arrays.copyOfRange(micros, 1, micros.length));
    }

    static void awaitBarrier(SharedBarrier barrier, int rounds) throws Exception {
        for (int i = 0; i < rounds; i++) {
            barrier.await();
        }
    }

    /** A barrier of the parent and three children: microseconds per generation, as the parent sees it. */
    private static double barrier(Context context) throws Exception {
        int rounds = ROUNDS / 4;
        SharedBarrier barrier = context.barrier(PARTIES);
        List<ChildProcess> children = new ArrayList<>();
        for (int i = 1; i < PARTIES; i++) {
            children.add(context.process(() -> awaitBarrier(barrier, rounds * (BATCHES + 1))).start());
        }
        double[] micros = new double[BATCHES + 1];
        for (int batch = 0; batch <= BATCHES; batch++) {
            long start = System.nanoTime();
            awaitBarrier(barrier, rounds);
            micros[batch] = (System.nanoTime() - start) / 1e3 / rounds;
        }
        for (ChildProcess child : children) {
            child.join();
        }
        return median(Arrays.copyOfRange(micros, 1, micros.length));
    }

    /** @return the median microseconds per operation of {@code op} over the batches (the first is warm-up) */
    private static double timed(Runnable op) {
        double[] micros = new double[BATCHES + 1];
        for (int batch = 0; batch <= BATCHES; batch++) {
            long start = System.nanoTime();
            for (int i = 0; i < ROUNDS; i++) {
                op.run();
            }
            micros[batch] = (System.nanoTime() - start) / 1_000.0 / ROUNDS;
        }
        return median(Arrays.copyOfRange(micros, 1, micros.length));
    }

    /** In a child: get and set latencies of an Integer and of a 1 KiB byte[]. */
    static void valueLatencies(SharedValue<Object> small, SharedValue<Object> kib, SharedValue<double[]> result) {
        Integer number = 42;
        byte[] bytes = new byte[1024];
        result.set(new double[] {timed(small::get), timed(() -> small.set(number)), timed(kib::get),
            timed(() -> kib.set(bytes))});
    }

    /** In each of two children, released together: getAndSet latency of an Integer. */
    static void valueSwaps(SharedValue<Object> value, SharedInt arrived, SharedValue<double[]> result, int me) {
        arrived.incrementAndGet();
        while (arrived.get() < 2) {
            Thread.onSpinWait();
        }
        Integer mine = me;
        double micros = timed(() -> value.getAndSet(mine));
        result.set(new double[] {micros});
    }

    private static double[] values(Context context) throws InterruptedException {
        SharedValue<Object> small = context.sharedValue(0);
        SharedValue<Object> kib = context.sharedValue(new byte[1024]);
        SharedValue<double[]> latencies = context.sharedValue(null);
        ChildProcess child = context.process(() -> valueLatencies(small, kib, latencies)).start();
        child.join();
        SharedInt arrived = context.sharedInt(0);
        List<SharedValue<double[]>> swaps = List.of(context.sharedValue(null), context.sharedValue(null));
        List<ChildProcess> swappers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            SharedValue<double[]> result = swaps.get(i);
            int me = i;
            swappers.add(context.process(() -> valueSwaps(small, arrived, result, me)).start());
        }
        for (ChildProcess swapper : swappers) {
            swapper.join();
        }
        double[] got = latencies.get();
        return new double[] {got[0], got[1], got[2], got[3], (swaps.get(0).get()[0] + swaps.get(1).get()[0]) / 2};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
