package dev.multiproc.tck.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.multiproc.tck.TckTimeouts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Another "host" for multi-host tests: a Linux network namespace joined to this one by a veth pair, the two ends
 * given the two addresses of a {@code 10.a.b.0/30} that no interface here uses. Processes run in it with
 * {@link #prefix()} before their command; its default route points at this side's address, so it also reaches the
 * addresses of other namespaces made so (this host delivers to any of its own addresses). A test talks only to the
 * addresses it created, and {@link #close()} removes the namespace and both ends of the pair.
 *
 * <p>{@link #create()} skips the calling test, with the reason, where namespaces cannot be made: not Linux, no
 * {@code ip} command (iproute2), not root, or no permission.
 */
public final class NetworkNamespace implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private final String hostLink;
    private final String hostAddress;
    private final String address;

    private NetworkNamespace(String name, String hostLink, String hostAddress, String address) {
        this.name = name;
        this.hostLink = hostLink;
        this.hostAddress = hostAddress;
        this.address = address;
    }

    /**
     * Creates a namespace and its veth pair, or skips the calling test saying why it cannot.
     *
     * @return the namespace; close it when done
     * @throws IOException if a step after the namespace's creation fails (what was made is removed)
     * @throws InterruptedException if interrupted while running {@code ip}
     */
    public static NetworkNamespace create() throws IOException, InterruptedException {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"),
                "network namespaces need Linux; this is " + System.getProperty("os.name"));
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))
                || Files.isExecutable(Path.of("/usr/bin/ip")), "no 'ip' command (iproute2) on this machine");
        assumeTrue(uid() == 0, "creating network namespaces needs root; this test runs as uid " + uid());
        byte[] tagBytes = new byte[3];
        RANDOM.nextBytes(tagBytes);
        String tag = HexFormat.of().formatHex(tagBytes);
        String used = run(List.of("ip", "-o", "-4", "addr", "show")).output();
        String subnet = null;
        for (int attempt = 0; attempt < 20 && subnet == null; attempt++) {
            String candidate = "10." + (200 + RANDOM.nextInt(50)) + "." + RANDOM.nextInt(256) + ".";
            if (!used.contains(candidate)) {
                subnet = candidate;
            }
        }
        assumeTrue(subnet != null, "no free 10.x.y.0/30 subnet found");
        String name = "mp-test-" + tag;
        String hostLink = "mpt" + tag + "a";
        String remoteLink = "mpt" + tag + "b";
        Result add = run(List.of("ip", "netns", "add", name));
        assumeTrue(add.status() == 0, "cannot create a network namespace (" + add.output().trim() + ")");
        NetworkNamespace namespace = new NetworkNamespace(name, hostLink, subnet + "1", subnet + "2");
        try {
            require(List.of("ip", "link", "add", hostLink, "type", "veth", "peer", "name", remoteLink));
            require(List.of("ip", "link", "set", remoteLink, "netns", name));
            require(List.of("ip", "addr", "add", namespace.hostAddress + "/30", "dev", hostLink));
            require(List.of("ip", "link", "set", hostLink, "up"));
            require(List.of("ip", "netns", "exec", name, "ip", "addr", "add", namespace.address + "/30", "dev",
                    remoteLink));
            require(List.of("ip", "netns", "exec", name, "ip", "link", "set", remoteLink, "up"));
            require(List.of("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"));
            require(List.of("ip", "netns", "exec", name, "ip", "route", "add", "default", "via",
                    namespace.hostAddress));
        } catch (IOException | RuntimeException e) {
            namespace.close();
            throw e;
        }
        return namespace;
    }

    /** @return the namespace's name */
    public String name() {
        return name;
    }

    /** @return this side's address on the pair: where processes in the namespace reach this host */
    public String hostAddress() {
        return hostAddress;
    }

    /** @return the namespace's own address */
    public String address() {
        return address;
    }

    /** @return what goes before a command to run it in the namespace: {@code ip netns exec NAME} */
    public List<String> prefix() {
        return List.of("ip", "netns", "exec", name);
    }

    /**
     * Kills every process still running in the namespace, then removes it and both ends of the veth pair.
     * Idempotent.
     */
    @Override
    public void close() {
        try {
            Result pids = run(List.of("ip", "netns", "pids", name));
            for (String pid : pids.output().split("\\s+")) {
                if (pid.matches("[0-9]+")) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            // Deleting the namespace deletes the veth end in it, and with it the pair; delete this end too in
            // case the pair was never moved.
            run(List.of("ip", "netns", "del", name));
            run(List.of("ip", "link", "del", hostLink));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long uid() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return Long.parseLong(line.substring(4).trim().split("\\s+")[1]); // effective uid
            }
        }
        return -1;
    }

    private record Result(int status, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(127, e.getMessage());
        }
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(TckTimeouts.seconds(20).toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            return new Result(-1, String.join(" ", command) + " did not finish");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static void require(List<String> command) throws IOException, InterruptedException {
        Result result = run(new ArrayList<>(command));
        if (result.status() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + result.status() + "): "
                    + result.output());
        }
    }
}
