package dev.multiproc.tck.support;

import dev.multiproc.tck.TckTimeouts;
import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.Queue;
import dev.multiproc.SharedInt;
import java.util.concurrent.TimeUnit;

/**
 * A parent whose children put more than its heap holds (issue 11, item 14; run it with {@code -Xmx128m}): a child
 * puts 320 elements of 1 MiB into an unbounded queue, as fast as it can, while another takes them slowly. The
 * parent must neither run out of memory nor lose an element: the producer is held back, and everything arrives.
 * Prints {@code PRODUCER <exit code> <failure>}, {@code CONSUMED <n> <sum of first bytes>} and {@code CLOSED}.
 */
public final class FullHeapMain {
    /** How many elements the producer puts. */
    public static final int ELEMENTS = 320;

    private FullHeapMain() {
    }

    /**
     * @param args the transport name
     * @throws Exception if a step fails (the test sees the missing line and the exit status)
     */
    public static void main(String[] args) throws Exception {
        try (Context context = Multiproc.context(args[0])) {
            Queue<byte[]> queue = context.queue();
            SharedInt consumed = context.sharedInt(0);
            SharedInt sum = context.sharedInt(0);
            ChildProcess consumer = context.process(() -> {
                for (int i = 0; i < ELEMENTS; i++) {
                    byte[] element = queue.get();
                    sum.getAndAdd(element[0]);
                    consumed.incrementAndGet();
                    Thread.sleep(5);
                }
            }).start();
            ChildProcess producer = context.process(() -> {
                for (int i = 0; i < ELEMENTS; i++) {
                    byte[] element = new byte[1 << 20];
                    element[0] = (byte) (i % 100);
                    queue.put(element);
                }
            }).start();
            if (!producer.join(TckTimeouts.millis(120), TimeUnit.MILLISECONDS)) {
                System.out.println("PRODUCER still running after 120 s");
                System.out.flush();
                Runtime.getRuntime().halt(3);
            }
            System.out.println("PRODUCER " + producer.exitCode().orElse(-1) + " " + producer.failure());
            System.out.flush();
            consumer.join(TckTimeouts.millis(120), TimeUnit.MILLISECONDS);
            System.out.println("CONSUMED " + consumed.get() + " " + sum.get() + " " + consumer.exitCode().orElse(-1)
                    + " " + consumer.failure());
            System.out.flush();
        }
        System.out.println("CLOSED");
        System.out.flush();
    }
}
