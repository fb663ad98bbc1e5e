package dev.multiproc.transport.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.TransportConfig;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Peers that are not our children: each is refused without harming the parent, which then still accepts a real
 * child. Talks only to the listener this test opens on 127.0.0.1.
 */
class BadPeerTest {
    private SocketParentTransport parent;
    private String host;
    private int port;

    @BeforeEach
    void open() throws IOException {
        parent = SocketParentTransport.open(new TransportConfig("test", 1 << 20), "127.0.0.1", 0);
        String descriptor = parent.prepare("probe").descriptor();
        host = descriptor.substring(0, descriptor.lastIndexOf(':'));
        port = Integer.parseInt(descriptor.substring(descriptor.lastIndexOf(':') + 1));
    }

    @AfterEach
    void close() {
        parent.close();
    }

    private static void frame(DataOutputStream out, byte[]... parts) throws IOException {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        out.writeInt(length);
        for (byte[] part : parts) {
            out.write(part);
        }
        out.flush();
    }

    /** Reads until the parent closes the connection; fails if it does not within the deadline. */
    private static void assertClosedByParent(Socket socket) {
        assertTimeoutPreemptively(Duration.ofSeconds(15), () -> {
            while (socket.getInputStream().read() >= 0) {
                // drain whatever the parent sent before closing
            }
        }, "the parent kept a bad peer's connection open");
    }

    /** Runs the child's side of the handshake with the given key; returns the connected socket. */
    private Socket handshake(String childId, byte[] key) throws IOException {
        Socket socket = new Socket(host, port);
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] nonceC = SocketHandshake.random(SocketHandshake.NONCE_LENGTH);
        frame(out, SocketHandshake.MAGIC, nonceC, childId.getBytes(StandardCharsets.UTF_8));
        assertEquals(SocketHandshake.NONCE_LENGTH + SocketHandshake.PROOF_LENGTH, in.readInt());
        byte[] nonceS = new byte[SocketHandshake.NONCE_LENGTH];
        in.readFully(nonceS);
        in.readFully(new byte[SocketHandshake.PROOF_LENGTH]);
        frame(out, SocketHandshake.proof(key, "child", nonceS, nonceC, childId));
        return socket;
    }

    private CompletableFuture<MessageChannel> expect(String childId) {
        return parent.prepare(childId).connected();
    }

    @Test
    void wrongKeyIsRefusedAndTheChildSlotStaysOpenForTheRealChild() throws Exception {
        CompletableFuture<MessageChannel> slot = expect("c1");
        try (Socket impostor = handshake("c1", SocketHandshake.random(SocketHandshake.KEY_LENGTH))) {
            assertClosedByParent(impostor);
        }
        assertFalse(slot.isDone(), "an impostor took the child's place");
        try (Socket real = handshake("c1", parent.key())) {
            MessageChannel channel = slot.get(10, TimeUnit.SECONDS);
            assertEquals(1 << 20, channel.maxMessageSize());
            assertTrue(real.isConnected());
        }
    }

    @Test
    void garbageIsRefusedBeforeAnythingIsBuffered() throws Exception {
        try (Socket peer = new Socket(host, port)) {
            peer.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            peer.getOutputStream().flush();
            assertClosedByParent(peer);
        }
    }

    @Test
    void oversizedHandshakeFrameIsRefused() throws Exception {
        try (Socket peer = new Socket(host, port)) {
            DataOutputStream out = new DataOutputStream(peer.getOutputStream());
            out.writeInt(SocketHandshake.MAX_HANDSHAKE_FRAME + 1);
            out.flush();
            assertClosedByParent(peer);
        }
    }

    @Test
    void unknownChildIdIsRefusedEvenWithTheRightKey() throws Exception {
        try (Socket stranger = handshake("not-a-child", parent.key())) {
            assertClosedByParent(stranger);
        }
    }

    @Test
    void aFloodOfBadPeersIsLoggedOnceAndTheRealChildStillConnects() throws Exception {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("dev.multiproc.transport.socket");
        java.util.List<java.util.logging.LogRecord> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler counter = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(counter);
        try {
            CompletableFuture<MessageChannel> slot = expect("c7");
            for (int i = 0; i < 50; i++) { // bounded: 50 attempts on our own listener
                try (Socket peer = new Socket(host, port)) {
                    peer.getOutputStream().write(new byte[] {(byte) 0x7f, 0, 0, 0});
                    peer.getOutputStream().flush();
                    assertClosedByParent(peer);
                }
            }
            try (Socket real = handshake("c7", parent.key())) {
                slot.get(10, TimeUnit.SECONDS);
                assertTrue(real.isConnected());
            }
            assertEquals(1, warnings.size(), "refusals logged at WARNING: " + warnings.size());
        } finally {
            log.removeHandler(counter);
        }
    }

    @Test
    void silentConnectionIsClosedAfterTheHandshakeTimeout() throws Exception {
        assertTrue(SocketServerHandler.HANDSHAKE_TIMEOUT_MILLIS <= 2000,
                "the build sets multiproc.socket.handshakeTimeoutMillis low for this test");
        try (Socket silent = new Socket(host, port)) {
            assertClosedByParent(silent);
        }
    }
}
