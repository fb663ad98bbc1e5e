package dev.multiproc.examples;

import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.Queue;

/**
 * A producer process and a consumer process connected by a {@link Queue}; the consumer stops at a sentinel and
 * reports the sum it saw through a second queue.
 */
public final class QueueExample {
    private static final int SENTINEL = -1;

    private QueueExample() {
    }

    static void produce(Queue<Integer> work) throws InterruptedException {
        for (int i = 1; i <= 100; i++) {
            work.put(i);
        }
        work.put(SENTINEL);
    }

    static void consume(Queue<Integer> work, Queue<Long> results) throws InterruptedException {
        long sum = 0;
        for (int item = work.get(); item != SENTINEL; item = work.get()) {
            sum += item;
        }
        results.put(sum);
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        try (Context ctx = Multiproc.context()) {
            Queue<Integer> work = ctx.queue(10);
            Queue<Long> results = ctx.queue();
            ChildProcess producer = ctx.process(() -> produce(work)).start();
            ChildProcess consumer = ctx.process(() -> consume(work, results)).start();
            System.out.println("consumer summed " + results.get() + " (expected 5050)");
            producer.join();
            consumer.join();
        }
    }
}
