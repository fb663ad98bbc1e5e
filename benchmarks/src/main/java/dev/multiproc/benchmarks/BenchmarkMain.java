package dev.multiproc.benchmarks;

import dev.multiproc.Multiproc;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The main class of {@code multiproc-benchmarks.jar}: JMH's own command line, with every transport on the class
 * path as the default value of the {@code transport} parameter, so that a transport module added to the benchmarks'
 * dependencies is measured without touching the benchmarks.
 *
 * <pre>
 * java -jar multiproc-benchmarks.jar                       # the whole suite, every transport
 * java -jar multiproc-benchmarks.jar -p transport=socket Pipe   # JMH options as usual
 * java -jar multiproc-benchmarks.jar transports            # the transports on the class path, one a line
 * </pre>
 *
 * <p>The raw media run as {@code java -cp multiproc-benchmarks.jar dev.multiproc.benchmarks.raw.RawMedia NAME}.
 */
public final class BenchmarkMain {
    private BenchmarkMain() {
    }

    /**
     * Runs JMH, or lists the transports.
     *
     * @param args {@code transports}, or JMH's options; {@code -p transport=...} is added when absent
     * @throws Exception whatever JMH throws
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("transports")) {
            Multiproc.availableTransports().forEach(System.out::println);
            return;
        }
        List<String> jmhArgs = new ArrayList<>(Arrays.asList(args));
        boolean transportGiven = false;
        for (int i = 0; i < args.length - 1; i++) {
            transportGiven |= args[i].equals("-p") && args[i + 1].startsWith("transport=");
        }
        boolean listing = jmhArgs.contains("-l") || jmhArgs.contains("-lp") || jmhArgs.contains("-h");
        if (!transportGiven && !listing) {
            jmhArgs.add("-p");
            jmhArgs.add("transport=" + String.join(",", Multiproc.availableTransports()));
        }
        org.openjdk.jmh.Main.main(jmhArgs.toArray(new String[0]));
    }
}
