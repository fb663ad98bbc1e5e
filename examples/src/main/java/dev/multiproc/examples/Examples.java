package dev.multiproc.examples;

import dev.multiproc.Multiproc;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The main class of {@code multiproc-examples.jar}: {@code pool-map} and {@code counter} run the seed demos,
 * {@code all} runs both on every available transport in fresh JVMs and prints their output and wall time,
 * {@code queue}, {@code pipe}, {@code imap} and {@code primes} (a long one, with a progress bar) run the richer
 * examples.
 */
public final class Examples {
    private static final Map<String, String> DEMOS = Map.of(
            "pool-map", PoolMapDemo.class.getName(),
            "counter", CounterDemo.class.getName());
    private static final Map<String, String> EXPECTED = Map.of(
            "pool-map", "Total result: 55",
            "counter", "Final shared value: 10");

    private Examples() {
    }

    /**
     * @param args one command; see {@link #usage()}
     * @throws Exception whatever the example throws
     */
    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "--help" : args[0];
        switch (command) {
            case "pool-map" -> PoolMapDemo.main(new String[0]);
            case "counter" -> CounterDemo.main(new String[0]);
            case "all" -> System.exit(runAll());
            case "queue" -> QueueExample.main(new String[0]);
            case "pipe" -> PipeExample.main(new String[0]);
            case "imap" -> ImapExample.main(new String[0]);
            case "primes" -> PrimesExample.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            case "--help", "-h", "help" -> System.out.print(usage());
            default -> {
                System.err.print("Unknown command '" + command + "'.\n" + usage());
                System.exit(2);
            }
        }
    }

    static String usage() {
        return """
                Usage: java [-Dmultiproc.transport=NAME] -jar multiproc-examples.jar COMMAND
                  pool-map   the pool-map demo (prints Total result: 55)
                  counter    the 10-process shared-counter demo (prints Final shared value: 10)
                  all        both demos on every available transport, each in a fresh JVM, with wall times
                  queue      producer and consumer processes over a Queue
                  pipe       parent/child ping-pong over a Pipe
                  imap       lazy imap over an endless input
                  primes [N] counts the primes below N (default 10 million) with a progress bar on stderr
                Transports on this class path: %s
                """.formatted(Multiproc.availableTransports());
    }

    /** Runs both demos on every transport in fresh JVMs; returns the exit status (1 if any failed). */
    private static int runAll() throws IOException, InterruptedException {
        List<String[]> rows = new ArrayList<>();
        boolean failed = false;
        for (String transport : Multiproc.availableTransports()) {
            for (String demo : List.of("pool-map", "counter")) {
                List<String> command = Multiproc.javaCommand(DEMOS.get(demo),
                        List.of("-Dmultiproc.transport=" + transport));
                long start = System.nanoTime();
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                CompletableFuture<String> output = read(process.getInputStream());
                int status = process.waitFor();
                long millis = (System.nanoTime() - start) / 1_000_000;
                String text = output.join().strip();
                boolean ok = status == 0 && text.equals(EXPECTED.get(demo));
                failed |= !ok;
                rows.add(new String[] {transport, demo, millis + " ms", (ok ? "" : "FAILED (exit " + status + "): ")
                        + text.replace(System.lineSeparator(), " | ")});
            }
        }
        System.out.printf("%-10s %-9s %9s  %s%n", "transport", "demo", "wall", "output");
        for (String[] row : rows) {
            System.out.printf("%-10s %-9s %9s  %s%n", (Object[]) row);
        }
        return failed ? 1 : 0;
    }

    private static CompletableFuture<String> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e + ")";
            }
        });
    }

}
