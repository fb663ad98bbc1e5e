package dev.multiproc.transport.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.MultiprocException;
import dev.multiproc.Pool;
import dev.multiproc.tck.RemoteWorkerContract;
import dev.multiproc.tck.TckTimeouts;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The tck's remote-worker scenarios on the Hazelcast transport, on this host: the parent's member on 127.0.0.1, each
 * remote worker a {@link HazelcastWorker} joining the cluster as a client; and what needs one host only: the command
 * a pool names when its remote workers do not come, and a worker or parent holding the wrong key.
 */
class HazelcastRemoteWorkerTest extends RemoteWorkerContract {
    private String members;

    /**
     * Opens a Hazelcast context whose member listens on {@code bind} at a port free a moment ago, and that takes
     * remote workers holding the key in {@code keyFile}.
     *
     * @return the context and its member's {@code HOST:PORT}
     */
    static Opened open(String bind, Path keyFile) throws IOException {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(bind))) {
            port = probe.getLocalPort();
        }
        Context context = Multiproc.contextBuilder().transport("hazelcast")
                .option(HazelcastTransport.AUTHKEY_FILE, keyFile.toString())
                .option(HazelcastTransport.BIND_ADDRESS, bind).option(HazelcastTransport.PORT, port).build();
        return new Opened(context, bind + ":" + port);
    }

    /** An open context and the address of its member. */
    record Opened(Context context, String members) {
    }

    /** The command that starts a remote worker named {@code name} that joins the member at {@code members}. */
    static List<String> command(String members, String name, Path keyFile) {
        return Multiproc.javaCommand(HazelcastWorker.class.getName(), List.of(), "--members", members,
                "--authkey-file", keyFile.toString(), "--name", name, "--connect-timeout", "30");
    }

    @Override
    protected Context openRemoteContext(Path keyFile) throws IOException {
        Opened opened = open("127.0.0.1", keyFile);
        members = opened.members();
        return opened.context();
    }

    @Override
    protected List<String> remoteWorkerCommand(Context context, String name, Path keyFile) {
        return command(members, name, keyFile);
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

    @Test
    void aPoolWithoutItsRemoteWorkersFailsNamingTheCommand() throws IOException {
        Path key = dir.resolve("other-key");
        Opened opened = open("127.0.0.1", key);
        try (Context context = opened.context()) {
            Pool.Builder builder = context.poolBuilder().workers(1).remoteWorkers(1)
                    .startTimeout(Duration.ofMillis(500));
            MultiprocException error = assertTimeoutPreemptively(TckTimeouts.seconds(30),
                    () -> assertThrows(MultiprocException.class, builder::build));
            String message = error.getMessage();
            assertTrue(message.contains("HazelcastWorker --members " + opened.members())
                    && message.contains("--cluster multiproc") && message.contains("0 came"), message);
        }
    }

    @Test
    void remoteWorkersNeedAnAuthkeyFile() {
        try (Context context = Multiproc.contextBuilder().transport("hazelcast").build()) {
            MultiprocException error = assertThrows(MultiprocException.class,
                    () -> context.poolBuilder().workers(1).remoteWorkers(1).build());
            assertTrue(error.getMessage().contains("-Dmultiproc.hazelcast.authkeyFile=FILE"), error.getMessage());
        }
    }

    /**
     * A worker with another key never reaches this parent (its join request goes to the queue of parents with its
     * key): it gives up with status 3 and says why, and the parent's context is unharmed.
     */
    @Test
    void aWorkerWithAnotherKeyIsNotAdmitted() throws Exception {
        Opened opened = open("127.0.0.1", dir.resolve("parent-key"));
        try (Context context = opened.context()) {
            Path wrong = privateFile(dir.resolve("wrong-key"), "fedcba9876543210fedcba9876543210\n");
            List<String> command = new java.util.ArrayList<>(command(opened.members(), "stranger", wrong));
            command.set(command.size() - 1, "5");
            Process remote = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).start();
            assertTrue(remote.waitFor(TckTimeouts.seconds(60).toMillis(), TimeUnit.MILLISECONDS),
                    "the worker with the wrong key did not give up");
            String output = new String(remote.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(3, remote.exitValue(), output);
            assertTrue(output.contains("no parent with the key in " + wrong + " answered"), output);
            assertEquals(7, context.sharedInt(7).get(), "the context was harmed");
        }
    }
}
