package dev.multiproc.benchmarks.raw;

import java.util.Arrays;

/**
 * Runs one raw medium and prints its figures as one line of JSON: the median round-trip latency of a 16-byte
 * message in µs, the throughput of 16-byte messages sent one write (or one publication) at a time, and, for the
 * stream media, the throughput of 1 MiB writes.
 *
 * <pre>
 * java -cp multiproc-benchmarks.jar dev.multiproc.benchmarks.raw.RawMedia stdio|tcp|netty|mmap [--quick]
 * </pre>
 */
public final class RawMedia {
    private RawMedia() {
    }

    /**
     * @param args the medium, then {@code --quick} for fewer iterations; {@code child ...} in the child JVMs
     * @throws Exception if the measurement fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("Usage: RawMedia stdio|tcp|netty|mmap [--quick]");
            System.exit(2);
        }
        if (args[0].equals("child")) {
            child(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        boolean quick = Arrays.asList(args).contains("--quick");
        Report report = switch (args[0]) {
            case "stdio" -> StreamPingPong.stdio(quick);
            case "tcp" -> StreamPingPong.tcp(quick);
            case "netty" -> NettyPingPong.run(quick);
            case "mmap" -> MmapPingPong.run(quick);
            default -> throw new IllegalArgumentException("unknown medium " + args[0]);
        };
        System.out.println(report.toJson());
    }

    private static void child(String[] args) throws Exception {
        switch (args[0]) {
            case "stdio" -> StreamPingPong.stdioChild();
            case "tcp" -> StreamPingPong.tcpChild(Integer.parseInt(args[1]));
            case "netty" -> NettyPingPong.child(Integer.parseInt(args[1]));
            case "mmap" -> MmapPingPong.child(args[1], Long.parseLong(args[2]));
            default -> throw new IllegalArgumentException("unknown medium " + args[0]);
        }
    }
}
