package dev.multiproc.benchmarks.buffers;

import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.SharedBuffer;
import dev.multiproc.SharedDoubleArray;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedLock;
import dev.multiproc.SharedLongArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One round of the shared-buffer comparison on one transport, printed as one line of JSON:
 * <ul>
 * <li>{@code memcpy_gbps}: {@code System.arraycopy} of {@value #BULK} bytes between two heap arrays in a child, the
 * floor;</li>
 * <li>{@code set_gbps}, {@code get_gbps}: {@code SharedBuffer.set(0, array)} and {@code get(0, array)} of as many, in
 * the same child;</li>
 * <li>{@code attach_ms}: in a fresh child, {@code Multiproc.attachBuffer(name)} of a 1 GiB buffer and one read of
 * its last byte (median of {@value #ATTACHES} children); {@code handle_ms}: the same for a buffer handle the child
 * got with its task (mapping on first use);</li>
 * <li>{@code add_mops}: millions of {@code getAndAdd} per second on one long element from two processes at once;
 * {@code locked_mops}: the same with read-then-write increments under the array's lock (Python's {@code with
 * arr.get_lock(): arr[0] += 1}).</li>
 * </ul>
 * Usage: {@code java -cp multiproc-benchmarks.jar dev.multiproc.benchmarks.buffers.BufferBench [transport]}.
 */
public final class BufferBench {
    private static final int BULK = 64 << 20;
    private static final int BULK_REPS = 15;
    private static final long ATTACH_SIZE = 1L << 30;
    private static final int ATTACHES = 3;

    private BufferBench() {
    }

    /**
     * Runs one round.
     *
     * @param args {@code args[0]}: the transport (default shm)
     * @throws InterruptedException if interrupted while joining a child
     */
    public static void main(String[] args) throws InterruptedException {
        String transport = args.length > 0 ? args[0] : "shm";
        Map<String, Object> results = new LinkedHashMap<>();
        try (Context context = Multiproc.context(transport)) {
            bulk(context, results);
            attach(context, results);
            boolean hub = !context.sharedBuffer(1).name().startsWith(transport + ":");
            increments(context, results, hub ? 20_000 : 5_000_000, hub ? 5_000 : 1_000_000);
        }
        StringBuilder json = new StringBuilder("{\"transport\": \"" + transport + "\"");
        results.forEach((key, value) -> json.append(", \"").append(key).append("\": ").append(value));
        System.out.println(json.append('}'));
    }

    /** In a child: the bulk copies, timed; stores the three medians in {@code gbps}. */
    static void bulkInChild(SharedBuffer buffer, SharedDoubleArray gbps) {
        byte[] src = new byte[BULK];
        ThreadLocalRandom.current().nextBytes(src);
        byte[] dst = new byte[BULK];
        double[] memcpy = new double[BULK_REPS];
        double[] set = new double[BULK_REPS];
        double[] get = new double[BULK_REPS];
        for (int warm = 0; warm < 5; warm++) {
            System.arraycopy(src, 0, dst, 0, BULK);
            buffer.set(0, src);
            buffer.get(0, dst);
        }
        for (int i = 0; i < BULK_REPS; i++) {
            long start = System.nanoTime();
            System.arraycopy(src, 0, dst, 0, BULK);
            memcpy[i] = gbps(System.nanoTime() - start);
            start = System.nanoTime();
            buffer.set(0, src);
            set[i] = gbps(System.nanoTime() - start);
            start = System.nanoTime();
            buffer.get(0, dst);
            get[i] = gbps(System.nanoTime() - start);
        }
        if (!Arrays.equals(src, dst)) {
            throw new AssertionError("the buffer gave back other bytes");
        }
        gbps.set(0, new double[] {median(memcpy), median(set), median(get)}, 0, 3);
    }

    /** The bulk copies, in a child: where a user's worker would copy its data in and out. */
    private static void bulk(Context context, Map<String, Object> results) throws InterruptedException {
        SharedBuffer buffer = context.sharedBuffer(BULK);
        SharedDoubleArray gbps = context.sharedDoubleArray(3);
        run(context.process(() -> bulkInChild(buffer, gbps)));
        results.put("memcpy_gbps", gbps.get(0));
        results.put("set_gbps", gbps.get(1));
        results.put("get_gbps", gbps.get(2));
    }

    private static void run(ChildProcess child) throws InterruptedException {
        child.start().join();
        if (child.exitCode().orElse(-1) != 0) {
            throw new IllegalStateException("a benchmark child failed: " + child.failure());
        }
    }

    private static double gbps(long nanos) {
        return BULK / (double) nanos; // bytes per ns = GB/s
    }

    /** In a child: attaches by name and reads the last byte; stores the nanoseconds both took in {@code times}. */
    static void attachInChild(String name, SharedBuffer handle, SharedLongArray times, int slot) {
        long start = System.nanoTime();
        SharedBuffer attached = Multiproc.attachBuffer(name);
        attached.get(attached.size() - 1);
        long attachedAt = System.nanoTime();
        handle.get(handle.size() - 2);
        times.set(2 * slot, attachedAt - start);
        times.set(2 * slot + 1, System.nanoTime() - attachedAt);
    }

    private static void attach(Context context, Map<String, Object> results) throws InterruptedException {
        if (context.transportName().equals("shm")) { // a 1 GiB buffer elsewhere is 1 GiB of the parent's heap
            SharedBuffer big = context.sharedBuffer(ATTACH_SIZE);
            SharedBuffer other = context.sharedBuffer(ATTACH_SIZE);
            SharedLongArray times = context.sharedLongArray(2 * ATTACHES);
            String name = big.name();
            for (int i = 0; i < ATTACHES; i++) {
                int slot = i;
                run(context.process(() -> attachInChild(name, other, times, slot)));
            }
            double[] attach = new double[ATTACHES];
            double[] handle = new double[ATTACHES];
            for (int i = 0; i < ATTACHES; i++) {
                attach[i] = times.get(2 * i) / 1e6;
                handle[i] = times.get(2 * i + 1) / 1e6;
            }
            results.put("attach_ms", median(attach));
            results.put("handle_ms", median(handle));
        }
    }

    /** In a child: after the start barrier, {@code count} increments; stores its elapsed nanoseconds. */
    @SuppressWarnings("try") // the guard is only there to be closed
    static void incrementInChild(SharedLongArray counter, boolean locked, int count, SharedInt arrived,
            SharedLongArray elapsed, int slot) {
        arrived.incrementAndGet();
        while (arrived.get() < 2) {
            Thread.onSpinWait();
        }
        long start = System.nanoTime();
        if (locked) {
            SharedLock lock = counter.lock();
            for (int i = 0; i < count; i++) {
                try (var held = lock.acquire()) {
                    counter.set(0, counter.get(0) + 1);
                }
            }
        } else {
            for (int i = 0; i < count; i++) {
                counter.getAndAdd(0, 1);
            }
        }
        elapsed.set(slot, System.nanoTime() - start);
    }

    private static void increments(Context context, Map<String, Object> results, int atomicCount, int lockedCount)
            throws InterruptedException {
        results.put("add_mops", twoProcesses(context, false, atomicCount));
        results.put("locked_mops", twoProcesses(context, true, lockedCount));
    }

    /** @return millions of increments per second by two processes together, which must not lose any */
    private static double twoProcesses(Context context, boolean locked, int count) throws InterruptedException {
        SharedLongArray counter = context.sharedLongArray(1);
        SharedInt arrived = context.sharedInt(0);
        SharedLongArray elapsed = context.sharedLongArray(2);
        List<ChildProcess> children = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int slot = i;
            children.add(context.process(() -> incrementInChild(counter, locked, count, arrived, elapsed, slot))
                    .start());
        }
        for (ChildProcess child : children) {
            child.join();
            if (child.exitCode().orElse(-1) != 0) {
                throw new IllegalStateException("incrementing child failed: " + child.failure());
            }
        }
        if (counter.get(0) != 2L * count) {
            throw new AssertionError("increments lost: " + counter.get(0) + " of " + 2L * count);
        }
        long slowest = Math.max(elapsed.get(0), elapsed.get(1));
        return 2.0 * count / slowest * 1e3; // per ns * 1e3 = millions per s
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
