package dev.multiproc.benchmarks.buffers;

import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.JoinableQueue;
import dev.multiproc.Multiproc;
import dev.multiproc.SharedBarrier;
import dev.multiproc.SharedEvent;
import dev.multiproc.SharedSemaphore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Round trips between two processes through a pair of events and through a pair of semaphores, generations of a
 * barrier of four processes, and a joinable queue's tasks, printed as one line of JSON ({@code event_us},
 * {@code semaphore_us}: median microseconds per round trip over 5 batches of {@value #ROUNDS}; {@code barrier_us}: per
 * generation; {@code joinable_us}: per element of a batch that the parent puts, a child takes and marks done, and the
 * parent joins; {@code join_us}: per put of one element and join): how fast one process wakes another with each
 * primitive on a transport.
 * Usage: {@code java -cp multiproc-benchmarks.jar dev.multiproc.benchmarks.buffers.SyncBench [transport] [joinable]}
 * (with {@code joinable}, only the joinable queue's figures).
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
            double[] joinable = joinableQueue(context);
            String tasks = ", \"joinable_us\": " + joinable[0] + ", \"join_us\": " + joinable[1] + "}";
            if (args.length > 1 && args[1].equals("joinable")) {
                System.out.println("{\"transport\": \"" + transport + "\"" + tasks);
                return;
            }
            double event = events(context);
            double semaphore = semaphores(context);
            double barrier = barrier(context);
            System.out.println("{\"transport\": \"" + transport + "\", \"event_us\": " + event + ", \"semaphore_us\": "
                    + semaphore + ", \"barrier_us\": " + barrier + tasks);
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

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
