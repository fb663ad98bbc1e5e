package dev.multiproc.transport.socket;

import dev.multiproc.spi.AuthkeyFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.Multiproc;
import dev.multiproc.Context;
import dev.multiproc.MultiprocException;
import dev.multiproc.Pool;
import dev.multiproc.tck.TckTimeouts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * Remote workers on this host, over 127.0.0.1, and what only needs one host: how the pool waits for remote
 * workers, and how both sides treat the authkey file.
 */
class LoopbackRemoteWorkerTest extends RemoteWorkerScenarios {
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

    private static Path privateFile(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @org.junit.jupiter.api.Test
    void aPoolWithoutItsRemoteWorkersFailsNamingTheAddressAndTheCommand() {
        SocketTestTransport.Opened opened = SocketTestTransport.open("127.0.0.1", dir.resolve("other-key"));
        try (Context context = opened.context()) {
            Pool.Builder builder = context.poolBuilder().workers(1).remoteWorkers(1)
                    .startTimeout(Duration.ofMillis(500));
            MultiprocException error = assertTimeoutPreemptively(TckTimeouts.seconds(30),
                    () -> assertThrows(MultiprocException.class, builder::build));
            String message = error.getMessage();
            assertTrue(message.contains("RemoteWorker --connect " + opened.parent().address())
                    && message.contains("--authkey-file " + dir.resolve("other-key").toAbsolutePath())
                    && message.contains("0 came") && message.contains("multiproc.socket.bind"), message);
        }
    }

    @org.junit.jupiter.api.Test
    void remoteWorkersNeedAnAuthkeyFile() {
        SocketTestTransport.Opened opened = SocketTestTransport.open("127.0.0.1", null);
        try (Context context = opened.context()) {
            MultiprocException error = assertThrows(MultiprocException.class,
                    () -> context.poolBuilder().workers(1).remoteWorkers(1).build());
            assertTrue(error.getMessage().contains("-Dmultiproc.socket.authkeyFile=FILE"), error.getMessage());
        }
    }

    @org.junit.jupiter.api.Test
    void moreRemoteWorkersThanWorkersIsRefused() {
        SocketTestTransport.Opened opened = SocketTestTransport.open("127.0.0.1", null);
        try (Context context = opened.context()) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> context.poolBuilder().workers(1).remoteWorkers(2).build());
            assertTrue(error.getMessage().contains("remoteWorkers (2) exceeds"), error.getMessage());
        }
    }

    @org.junit.jupiter.api.Test
    void theParentCreatesAPrivateKeyFileAndReadsItBack() throws IOException {
        Path file = dir.resolve("new-key");
        byte[] created = AuthkeyFile.loadOrCreate(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(64, created.length);
        assertArrayEquals(created, AuthkeyFile.loadOrCreate(file));
        assertArrayEquals("0123456789abcdef0123".getBytes(StandardCharsets.US_ASCII),
                AuthkeyFile.load(privateFile(dir.resolve("typed"), "0123456789abcdef0123\r\n")));
    }

    @org.junit.jupiter.api.Test
    void aKeyFileThatOthersCanReadIsRefusedByBothSides() throws Exception {
        Path shared = privateFile(dir.resolve("shared-key"), "0123456789abcdef0123456789abcdef\n");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));
        IOException parent = assertThrows(IOException.class, () -> AuthkeyFile.loadOrCreate(shared));
        assertTrue(parent.getMessage().contains("chmod 600 " + shared), parent.getMessage());
        MultiprocException context = assertThrows(MultiprocException.class,
                () -> SocketTestTransport.open("127.0.0.1", shared));
        assertTrue(context.getMessage().contains("chmod 600"), context.getMessage());

        Process remote = new ProcessBuilder(javaRemote("--connect", "127.0.0.1:9", "--authkey-file",
                shared.toString())).redirectErrorStream(true).start();
        String output = assertTimeoutPreemptively(TckTimeouts.seconds(20),
                () -> new String(remote.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(2, assertTimeoutPreemptively(TckTimeouts.seconds(20), () -> remote.waitFor()), output);
        assertTrue(output.contains("chmod 600 " + shared), output);
    }

    @org.junit.jupiter.api.Test
    void aRemoteWorkerWithAnotherKeyIsRefusedAndExitsWithStatus2() throws Exception {
        SocketTestTransport.Opened opened = SocketTestTransport.open("127.0.0.1", dir.resolve("parent-key"));
        try (Context context = opened.context()) {
            Path wrong = privateFile(dir.resolve("wrong-key"), "fedcba9876543210fedcba9876543210\n");
            Process remote = new ProcessBuilder(javaRemote("--connect", opened.parent().address(),
                    "--authkey-file", wrong.toString(), "--connect-timeout", "10")).redirectErrorStream(true).start();
            String output = assertTimeoutPreemptively(TckTimeouts.seconds(30),
                    () -> new String(remote.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(2, assertTimeoutPreemptively(TckTimeouts.seconds(20), () -> remote.waitFor()), output);
            assertTrue(output.contains("did not prove that it knows the key in " + wrong), output);
            assertTrue(context.sharedInt(7).get() == 7, "the context was harmed");
        }
    }

    private static List<String> javaRemote(String... args) {
        return Multiproc.javaCommand(RemoteWorker.class.getName(), List.of(), args);
    }
}
