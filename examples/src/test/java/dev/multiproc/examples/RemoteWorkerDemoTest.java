package dev.multiproc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.multiproc.Multiproc;
import dev.multiproc.tck.TckTimeouts;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool-map demo, unchanged, with one local and one remote worker: only system properties say so. The remote
 * worker is started on this host, independently of the demo, as an operator would start it on another host.
 */
class RemoteWorkerDemoTest {
    @TempDir
    Path dir;

    private static List<String> java(List<String> options, String main, String... args) {
        return Multiproc.javaCommand(main, options, args);
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private String read(String file) throws IOException {
        return Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
    }

    @Test
    void poolMapDemoPrintsTotalResult55WithOneLocalAndOneRemoteWorker() throws Exception {
        Path key = dir.resolve("authkey");
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Files.writeString(key, HexFormat.of().formatHex(secret) + "\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        // The port is probed free, then bound by the demo: another process may take it in between. Then the demo
        // says "cannot listen on", and the test tries another port (a few times, not forever).
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Process demo = startDemo(key, port);
            Process remote = startRemote(key, port);
            try {
                int demoStatus = assertTimeoutPreemptively(TckTimeouts.seconds(120), () -> demo.waitFor(),
                        "the demo did not finish");
                if (demoStatus != 0 && attempt < 3 && read("demo.err").contains("cannot listen on")) {
                    continue;
                }
                int remoteStatus = assertTimeoutPreemptively(TckTimeouts.seconds(30), () -> remote.waitFor(),
                        "the remote worker did not exit after the demo");
                String report = "demo stderr: " + read("demo.err") + "\nremote stderr: " + read("remote.err");
                assertEquals("Total result: 55" + System.lineSeparator(), read("demo.out"), report);
                assertEquals("", read("demo.err"), "the demo wrote to stderr");
                assertEquals(0, demoStatus, report);
                assertEquals(0, remoteStatus, "the remote worker was not shut down by the demo's pool: " + report);
                assertEquals("", read("remote.out") + read("remote.err"), "the remote worker printed something");
                return;
            } finally {
                demo.descendants().forEach(ProcessHandle::destroyForcibly);
                demo.destroyForcibly();
                remote.destroyForcibly();
            }
        }
    }

    private Process startDemo(Path key, int port) throws IOException {
        return new ProcessBuilder(java(List.of("-Dmultiproc.transport=socket",
                "-Dmultiproc.pool.remoteWorkers=1", "-Dmultiproc.socket.authkeyFile=" + key,
                "-Dmultiproc.socket.port=" + port), PoolMapDemo.class.getName()))
                .redirectOutput(dir.resolve("demo.out").toFile()).redirectError(dir.resolve("demo.err").toFile())
                .start();
    }

    private Process startRemote(Path key, int port) throws IOException {
        return new ProcessBuilder(java(List.of(), "dev.multiproc.transport.socket.RemoteWorker",
                "--connect", "127.0.0.1:" + port, "--authkey-file", key.toString(), "--name", "demo-remote"))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(dir.resolve("remote.out").toFile()).redirectError(dir.resolve("remote.err").toFile())
                .start();
    }
}
