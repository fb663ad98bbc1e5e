package dev.multiproc.benchmarks.cluster;

import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.Pool;
import dev.multiproc.transport.hazelcast.HazelcastTransport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One parent of the cluster start-up benchmark: opens a Hazelcast context whose member listens on the given address
 * and takes remote workers, prints {@code MEMBER HOST:PORT}, waits for a line on stdin (the driver starts the worker
 * hosts' {@code HazelcastWorker}s meanwhile, or not), then builds a pool of the machine's processors plus
 * {@code remote} remote workers and prints the milliseconds from {@code build()} to the first result
 * ({@code FIRST_RESULT_MS}) and to the end of a map of one 200 ms task per worker ({@code ALL_WORKERS_MS}; workers
 * that are up early may take more than one).
 *
 * <pre>
 * java -cp multiproc-benchmarks.jar dev.multiproc.benchmarks.cluster.ClusterStart BIND PORT AUTHKEY_FILE REMOTE
 * </pre>
 */
public final class ClusterStart {
    private ClusterStart() {
    }

    /**
     * @param args {@code BIND PORT AUTHKEY_FILE REMOTE}
     * @throws Exception if the context or the pool fails
     */
    public static void main(String[] args) throws Exception {
        String bind = args[0];
        int port = Integer.parseInt(args[1]);
        int remote = Integer.parseInt(args[3]);
        try (Context context = Multiproc.contextBuilder().transport("hazelcast")
                .option(HazelcastTransport.BIND_ADDRESS, bind).option(HazelcastTransport.PORT, port)
                .option(HazelcastTransport.AUTHKEY_FILE, args[2]).build()) {
            System.out.println("MEMBER " + bind + ":" + port);
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            int local = Runtime.getRuntime().availableProcessors();
            long start = System.nanoTime();
            try (Pool pool = context.poolBuilder().workers(local + remote).remoteWorkers(remote).build()) {
                int first = pool.apply(x -> x + 1, 1);
                long firstNanos = System.nanoTime() - start;
                // one 200 ms task per worker (workers that are up early may take more than one)
                List<Integer> all = pool.map(ClusterStart::slowIncrement,
                        java.util.stream.IntStream.range(0, local + remote).boxed().toList(), 1);
                long allNanos = System.nanoTime() - start;
                if (first != 2 || all.size() != local + remote) {
                    throw new IllegalStateException("wrong results: " + first + ", " + all);
                }
                System.out.printf("FIRST_RESULT_MS %.1f%nALL_WORKERS_MS %.1f%n", firstNanos / 1e6, allNanos / 1e6);
            }
        }
    }

    private static int slowIncrement(int x) throws InterruptedException {
        Thread.sleep(200);
        return x + 1;
    }
}
