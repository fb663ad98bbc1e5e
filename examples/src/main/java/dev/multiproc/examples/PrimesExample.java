package dev.multiproc.examples;

import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.Pool;
import dev.multiproc.Progress;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;

/**
 * A long computation with a progress bar: counts the primes below a limit (default ten million) in blocks of
 * {@value #BLOCK} numbers spread over a pool, and draws the call's {@link Progress} on standard error while it
 * runs (tasks done, running, time elapsed and left).
 */
public final class PrimesExample {
    /** How many numbers one task checks. */
    static final long BLOCK = 20_000;
    private static final int BAR_WIDTH = 30;

    private PrimesExample() {
    }

    /** @return how many primes lie in {@code [from, from + BLOCK)}, by trial division */
    static long primesInBlock(long from) {
        long count = 0;
        for (long n = Math.max(2, from); n < from + BLOCK; n++) {
            if (isPrime(n)) {
                count++;
            }
        }
        return count;
    }

    private static boolean isPrime(long n) {
        if (n < 4) {
            return n >= 2;
        }
        if (n % 2 == 0) {
            return false;
        }
        for (long d = 3; d * d <= n; d += 2) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs the example.
     *
     * @param args the limit, optional (a multiple of {@value #BLOCK} is used, at least one block)
     * @throws Exception if the computation fails
     */
    public static void main(String[] args) throws Exception {
        long limit = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 10_000_000;
        List<Long> blocks = LongStream.range(0, Math.max(1, limit / BLOCK)).map(i -> i * BLOCK).boxed().toList();
        try (Context ctx = Multiproc.context(); Pool pool = ctx.pool(Runtime.getRuntime().availableProcessors())) {
            CompletableFuture<List<Long>> counts = pool.mapAsync(PrimesExample::primesInBlock, blocks, 1);
            PrintStream err = System.err;
            while (true) {
                try {
                    List<Long> done = counts.get(200, TimeUnit.MILLISECONDS);
                    err.print("\r" + bar(pool.progress(counts)) + "\n");
                    err.flush();
                    System.out.println("Primes below " + blocks.size() * BLOCK + ": "
                            + done.stream().mapToLong(Long::longValue).sum());
                    return;
                } catch (TimeoutException e) {
                    err.print("\r" + bar(pool.progress(counts)));
                    err.flush();
                }
            }
        }
    }

    /** @return e.g. {@code [#########.....................]  31% 155/500 tasks, 2 running, 1.9 s elapsed, ...} */
    static String bar(Progress progress) {
        int filled = (int) Math.round(progress.fraction() * BAR_WIDTH);
        // padded: the next drawing, over this one after a carriage return, may be shorter
        return String.format("%-110s", "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + progress);
    }
}
