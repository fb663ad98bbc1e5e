package dev.multiproc.examples;

import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The pool-map demo: Python's {@code Pool().map(process_data, [data[i::2] for i in range(2)])} over 1..10.
 * Prints {@code Total result: 55} on every transport.
 */
public final class PoolMapDemo {
    private PoolMapDemo() {
    }

    /**
     * Sums one chunk, in a worker process.
     *
     * @param data the chunk
     * @return its sum
     */
    static int processData(List<Integer> data) {
        return data.stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * Every other element of {@code data}, starting at {@code start}: Python's {@code data[start::2]}.
     *
     * @param data the list
     * @param start 0 or 1
     * @return the slice
     */
    static List<Integer> everyOther(List<Integer> data, int start) {
        List<Integer> slice = new ArrayList<>();
        for (int i = start; i < data.size(); i += 2) {
            slice.add(data.get(i));
        }
        return slice;
    }

    /**
     * Runs the demo.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (Context ctx = Multiproc.context(); Pool pool = ctx.pool()) {
            List<Integer> data = IntStream.rangeClosed(1, 10).boxed().toList();
            List<List<Integer>> chunks = List.of(everyOther(data, 0), everyOther(data, 1));
            List<Integer> results = pool.map(PoolMapDemo::processData, chunks);
            System.out.println("Total result: " + results.stream().mapToInt(Integer::intValue).sum());
        }
    }
}
