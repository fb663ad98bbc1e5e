package dev.multiproc.transport.socket;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The remote-worker scenarios across two hosts built from Linux network namespaces: the test creates a namespace
 * and a veth pair, gives the two ends addresses in a {@code 10.a.b.0/30} that no interface here uses, runs the
 * parent on the host end and each remote worker with {@code ip netns exec} on the other, and removes both in
 * {@link #removeNamespace()}. It talks only to the two addresses it created.
 *
 * <p>Skipped, with the reason, where namespaces cannot be created (not root, no {@code ip}, no permission).
 */
class NetnsRemoteWorkerTest extends RemoteWorkerScenarios {
    private static String namespace;
    private static String hostLink;
    private static String hostAddress;
    private static String remoteAddress;

    @BeforeAll
    static void createNamespace() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux"),
                "network namespaces need Linux; this is " + System.getProperty("os.name"));
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))
                || Files.isExecutable(Path.of("/usr/bin/ip")), "no 'ip' command (iproute2) on this machine");
        assumeTrue(uid() == 0, "creating network namespaces needs root; this test runs as uid " + uid());
        SecureRandom random = new SecureRandom();
        String tag = HexFormat.of().formatHex(bytes(random, 3));
        String used = run(List.of("ip", "-o", "-4", "addr", "show")).output;
        String subnet = null;
        for (int attempt = 0; attempt < 20 && subnet == null; attempt++) {
            String candidate = "10." + (200 + random.nextInt(50)) + "." + random.nextInt(256) + ".";
            if (!used.contains(candidate)) {
                subnet = candidate;
            }
        }
        assumeTrue(subnet != null, "no free 10.x.y.0/30 subnet found");
        namespace = "mp-test-" + tag;
        hostLink = "mpt" + tag + "a";
        String remoteLink = "mpt" + tag + "b";
        hostAddress = subnet + "1";
        remoteAddress = subnet + "2";
        Result add = run(List.of("ip", "netns", "add", namespace));
        if (add.status != 0) {
            namespace = null;
            assumeTrue(false, "cannot create a network namespace (" + add.output.trim() + ")");
        }
        try {
            require(List.of("ip", "link", "add", hostLink, "type", "veth", "peer", "name", remoteLink));
            require(List.of("ip", "link", "set", remoteLink, "netns", namespace));
            require(List.of("ip", "addr", "add", hostAddress + "/30", "dev", hostLink));
            require(List.of("ip", "link", "set", hostLink, "up"));
            require(List.of("ip", "netns", "exec", namespace, "ip", "addr", "add", remoteAddress + "/30", "dev",
                    remoteLink));
            require(List.of("ip", "netns", "exec", namespace, "ip", "link", "set", remoteLink, "up"));
            require(List.of("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up"));
        } catch (IOException | RuntimeException e) {
            removeNamespace();
            throw e;
        }
    }

    @AfterAll
    static void removeNamespace() throws Exception {
        if (namespace != null) {
            // Deleting the namespace deletes the veth end in it, and with it the pair; delete the host end too in
            // case the pair was never moved.
            run(List.of("ip", "netns", "del", namespace));
            run(List.of("ip", "link", "del", hostLink));
            namespace = null;
        }
    }

    @Override
    protected String bindAddress() {
        return hostAddress;
    }

    @Override
    protected List<String> remotePrefix() {
        return List.of("ip", "netns", "exec", namespace);
    }

    @Override
    protected boolean remoteIsElsewhere() {
        return true;
    }

    private static byte[] bytes(SecureRandom random, int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
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
        if (result.status != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + result.status + "): " + result.output);
        }
    }
}
