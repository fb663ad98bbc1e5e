package dev.multiproc.transport.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.multiproc.Multiproc;
import dev.multiproc.tck.TckTimeouts;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote-worker scenarios over TLS on 127.0.0.1, and what TLS must refuse: a plain remote worker when the
 * parent requires TLS, a parent whose certificate the worker does not trust, a private key others can read.
 * Certificates are made with {@code openssl}; skipped, saying so, where it is missing.
 */
class TlsRemoteWorkerTest extends RemoteWorkerScenarios {
    @TempDir
    static Path certs;
    private static SslContext tls;

    @BeforeAll
    static void makeCertificates() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")) || Files.isExecutable(Path.of("/bin/openssl")),
                "no openssl to make test certificates");
        selfSigned("parent");
        selfSigned("stranger");
        tls = SocketTls.serverContext(certs.resolve("parent.crt"), certs.resolve("parent.key"));
    }

    private static void selfSigned(String name) throws Exception {
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=multiproc-test-" + name,
                "-keyout", certs.resolve(name + ".key").toString(), "-out", certs.resolve(name + ".crt").toString())
                .redirectErrorStream(true).start();
        openssl.getOutputStream().close();
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(openssl.waitFor(TckTimeouts.seconds(30).toMillis(), TimeUnit.MILLISECONDS), "openssl hung");
        assertEquals(0, openssl.exitValue(), output);
        Files.setPosixFilePermissions(certs.resolve(name + ".key"), PosixFilePermissions.fromString("rw-------"));
    }

    @Override
    protected String bindAddress() {
        return "127.0.0.1";
    }

    @Override
    protected List<String> remotePrefix() {
        return List.of();
    }

    @Override
    protected boolean remoteIsElsewhere() {
        return false;
    }

    @Override
    protected SslContext tlsContext() {
        return tls;
    }

    @Override
    protected Path tlsCertificate() {
        return certs.resolve("parent.crt");
    }

    @Override
    protected List<String> remoteOptions() {
        return List.of("--tls-trust", certs.resolve("parent.crt").toString());
    }

    /** Runs a remote worker to its end; returns its exit status and output. */
    private String runRemote(int expectedStatus, String... options) throws IOException {
        List<String> command = Multiproc.javaCommand(RemoteWorker.class.getName(), List.of(),
                "--connect", address(), "--authkey-file", keyFile().toString(), "--connect-timeout", "10");
        command.addAll(List.of(options));
        Process remote = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = assertTimeoutPreemptively(TckTimeouts.seconds(30),
                    () -> new String(remote.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(expectedStatus, assertTimeoutPreemptively(TckTimeouts.seconds(20), () -> remote.waitFor()),
                    output);
            return output;
        } finally {
            remote.destroyForcibly();
        }
    }

    @Test
    void aParentThatRequiresTlsRefusesAPlainRemoteWorker() throws Exception {
        String output = runRemote(2);
        assertTrue(output.contains("refused this worker") && output.contains("--tls-trust"), output);
    }

    @Test
    void aRemoteWorkerRefusesAParentWhoseCertificateItDoesNotTrust() throws Exception {
        String output = runRemote(2, "--tls-trust", certs.resolve("stranger.crt").toString());
        assertTrue(output.contains("TLS with the parent at " + address() + " failed") && output.contains("PKIX"),
                output);
    }

    @Test
    void aPrivateKeyThatOthersCanReadIsRefused() throws Exception {
        Path shared = certs.resolve("shared.key");
        Files.copy(certs.resolve("parent.key"), shared);
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));
        IOException error = assertThrows(IOException.class,
                () -> SocketTls.serverContext(certs.resolve("parent.crt"), shared));
        assertTrue(error.getMessage().contains("chmod 600 " + shared), error.getMessage());
    }
}
