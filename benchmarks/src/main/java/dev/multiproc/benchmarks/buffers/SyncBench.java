package dev.multiproc.benchmarks.buffers;

import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.JoinableQueue;
import dev.multiproc.Multiproc;
import dev.multiproc.SharedBarrier;
import dev.multiproc.SharedEvent;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedSemaphore;
import dev.multiproc.SharedValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

/**
 * Round trips between two processes through a pair of events and through a pair of semaphores, generations of a
 * barrier of four processes, a joinable queue's tasks, and a shared value's operations, printed as one line of JSON
 * ({@code event_us}, {@code semaphore_us}: median microseconds per round trip over 5 batches of {@value #ROUNDS};
 * {@code barrier_us}: per generation, with {@code cyclic_barrier_threads_us}, the JDK's {@code CyclicBarrier} of as
 * many threads in one JVM, as the floor; {@code joinable_us}: per element of a batch that the parent puts, a child takes
 * and marks done, and the parent joins; {@code join_us}: per put of one element and join; {@code value_*_us}: a
 * {@link SharedValue}'s get and set of an Integer and of a 1 KiB byte[] in a child, and getAndSet of an Integer from
 * two children at once, median microseconds per operation): how fast one process wakes another with each primitive
 * on a transport.
 * Usage: {@code java -cp multiproc-benchmarks.jar dev.multiproc.benchmarks.buffers.SyncBench [transport] [part]},
 * where {@code part} is one of {@code events}, {@code semaphores}, {@code barrier}, {@code joinable} and
 * {@code values} (default: all of them).
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
     * @param args {@code args[0]}: the transport (default shm); {@code args[1]}: the part to run (default all)
     * @throws Exception if interrupted, or a barrier broke
     */
    public static void main(String[] args) throws Exception {
        String transport = args.length > 0 ? args[0] : "shm";
        String part = args.length > 1 ? args[1] : "all";
        StringBuilder json = new StringBuilder("{\"transport\": \"" + transport + "\"");
        try (Context context = Multiproc.context(transport)) {
            if (part.equals("all") || part.equals("events")) {
                json.append(", \"event_us\": ").append(events(context));
            }
            if (part.equals("all") || part.equals("semaphores")) {
                json.append(", \"semaphore_us\": ").append(semaphores(context));
            }
            if (part.equals("all") || part.equals("barrier")) {
                json.append(", \"barrier_us\": ").append(barrier(context));
                json.append(", \"cyclic_barrier_threads_us\": ").append(cyclicBarrierOfThreads());
            }
            if (part.equals("all") || part.equals("joinable")) {
                double[] joinable = joinableQueue(context);
                json.append(", \"joinable_us\": ").append(joinable[0]).append(", \"join_us\": ").append(joinable[1]);
            }
            if (part.equals("all") || part.equals("values")) {
                double[] value = values(context);
                json.append(", \"value_get_int_us\": ").append(value[0]).append(", \"value_set_int_us\": ")
                        .append(value[1]).append(", \"value_get_1k_us\": ").append(value[2])
                        .append(", \"value_set_1k_us\": ").append(value[3])
                        .append(", \"value_get_and_set_2p_us\": ").append(value[4]);
            }
        }
        System.out.println(json.append("}"));
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

    /**
     * The floor for a barrier of {@value #PARTIES} parties on this machine: the JDK's {@link CyclicBarrier} of as many
     * threads in this JVM, no process boundary; microseconds per generation, measured as {@link #barrier} is.
     */
    private static double cyclicBarrierOfThreads() throws Exception {
        int rounds = ROUNDS;
        CyclicBarrier barrier = new CyclicBarrier(PARTIES);
        List<Thread> threads = new ArrayList<>();
        for (int i = 1; i < PARTIES; i++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int round = 0; round < rounds * (BATCHES + 1); round++) {
                        barrier.await();
                    }
                } catch (InterruptedException | BrokenBarrierException e) {
                    throw new IllegalStateException(e);
                }
            }, "cyclic-barrier-party-" + i);
            thread.start();
            threads.add(thread);
        }
        double[] micros = new double[BATCHES + 1];
        for (int batch = 0; batch <= BATCHES; batch++) {
            long start = System.nanoTime();
            for (int round = 0; round < rounds; round++) {
                barrier.await();
            }
            micros[batch] = (System.nanoTime() - start) / 1e3 / rounds;
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return median(Arrays.copyOfRange(micros, 1, micros.length));
    }

    /** A barrier of the parent and three children: microseconds per generation, as the parent sees it. */
    private static double barrier(Context context) throws Exception {
        int rounds = ROUNDS; // fewer would measure the children's JIT warm-up (they compile late)
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

    static void markEachDone(JoinableQueue<Integer> queue) throws InterruptedException {
        for (int item = queue.get(); item >= 0; item = queue.get()) {
            queue.taskDone();
        }
    }

    /**
     * A child takes each element the parent puts and marks it done. Microseconds per element of a batch of
     * {@value #ROUNDS} puts followed by one join, and per round trip of one put and a join, as the parent sees them.
     */
    private static double[] joinableQueue(Context context) throws InterruptedException {
        JoinableQueue<Integer> queue = context.joinableQueue();
        ChildProcess child = context.process(() -> markEachDone(queue)).start();
        double[] perElement = new double[BATCHES + 1];
        for (int batch = 0; batch <= BATCHES; batch++) {
            long start = System.nanoTime();
            for (int i = 0; i < ROUNDS; i++) {
                queue.put(i);
            }
            queue.join();
            perElement[batch] = (System.nanoTime() - start) / 1e3 / ROUNDS;
        }
        int joins = ROUNDS / 4;
        double[] perJoin = new double[BATCHES + 1];
        for (int batch = 0; batch <= BATCHES; batch++) {
            long start = System.nanoTime();
            for (int i = 0; i < joins; i++) {
                queue.put(i);
                queue.join();
            }
            perJoin[batch] = (System.nanoTime() - start) / 1e3 / joins;
        }
        queue.put(-1);
        child.join();
        return new double[] {median(Arrays.copyOfRange(perElement, 1, perElement.length)),
                median(Arrays.copyOfRange(perJoin, 1, perJoin.length))};
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
