package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.AuthenticationException;
import dev.multiproc.ChannelClosedException;
import dev.multiproc.ChildProcess;
import dev.multiproc.Connection;
import dev.multiproc.Listener;
import dev.multiproc.Multiproc;
import dev.multiproc.ProtocolException;
import dev.multiproc.SerializationException;
import dev.multiproc.SharedBarrier;
import dev.multiproc.SharedInt;
import dev.multiproc.tck.support.ListenerClientMain;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Listener} and {@link Multiproc#connect} (Python's {@code Listener} and {@code Client}):
 * children of the transport under test and unrelated JVMs connect to a listener in the parent and exchange objects
 * and bytes both ways; a wrong key is refused on both ends while the listener goes on serving; silent, garbage and
 * oversized peers are dropped; a connection cannot travel to a child.
 */
public abstract class ListenerContract extends TransportContract {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** For a transport's subclass, which JUnit instantiates. */
    protected ListenerContract() {
    }

    /**
     * Opens the listener under test. Overridden only by the tck's own tests, with a broken one.
     *
     * @param address where
     * @param key the key
     * @param handshakeTimeout how long a client may take to authenticate
     * @param maxMessageSize the largest message it receives
     * @return the listener
     * @throws IOException if it cannot bind
     */
    protected Listener listen(SocketAddress address, byte[] key, Duration handshakeTimeout, int maxMessageSize)
            throws IOException {
        return Multiproc.listenerBuilder(address, key).handshakeTimeout(handshakeTimeout)
                .maxMessageSize(maxMessageSize).open();
    }

    /**
     * Connects from the test's own JVM. Overridden only by the tck's own tests, with a broken client.
     *
     * @param address the listener's address
     * @param key the key
     * @param <T> the objects' type
     * @return the connection
     * @throws IOException if it cannot connect
     */
    protected <T> Connection<T> connect(SocketAddress address, byte[] key) throws IOException {
        return Multiproc.connect(address, key);
    }

    private Listener listen(byte[] key) throws IOException {
        return listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), key, Duration.ofSeconds(10),
                64 << 20);
    }

    private static byte[] newKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    /** The child's side of {@link #aChildConnectsToAListenerInTheParentAndTheyExchangeBothWays}. */
    static void sumAndReverse(SocketAddress address, byte[] key) throws Exception {
        try (Connection<Object> connection = Multiproc.connect(address, key)) {
            @SuppressWarnings("unchecked")
            List<Integer> numbers = (List<Integer>) connection.recv();
            connection.send(numbers.stream().mapToInt(Integer::intValue).sum());
            byte[] bytes = connection.recvBytes();
            byte[] reversed = new byte[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                reversed[i] = bytes[bytes.length - 1 - i];
            }
            connection.sendBytes(reversed);
            if (!"bye".equals(connection.recv())) {
                throw new AssertionError("expected bye");
            }
        }
    }

    /**
     * A child of the transport under test connects to a listener in the parent with the key; they exchange an
     * object and a byte message each way, and when the child closes, the parent's receive reports the close.
     */
    @Test
    public void aChildConnectsToAListenerInTheParentAndTheyExchangeBothWays() {
        within(60, "a child connecting to the parent's listener", () -> {
            byte[] key = newKey();
            try (Listener listener = listen(key)) {
                SocketAddress address = listener.address();
                ChildProcess child = context.process(() -> sumAndReverse(address, key)).start();
                try (Connection<Object> connection = listener.accept(TckTimeouts.millis(30), TimeUnit.MILLISECONDS)) {
                    assertTrue(connection.canSend() && connection.canReceive());
                    connection.send(List.of(1, 2, 3, 4));
                    assertEquals(10, connection.recv());
                    connection.sendBytes(new byte[] {1, 2, 3});
                    assertArrayEquals(new byte[] {3, 2, 1}, connection.recvBytes());
                    connection.send("bye");
                    child.join();
                    assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
                    assertThrows(ChannelClosedException.class, connection::recv);
                }
            }
            return null;
        });
    }

    /** One of the clients of {@link #childrenThatConnectAtOnceAreAllServed}. */
    static void connectAtOnce(SharedBarrier start, SharedInt connected, SocketAddress address, byte[] key,
            int index) throws Exception {
        start.await();
        try (Connection<Integer> connection = Multiproc.connect(address, key)) {
            connected.incrementAndGet();
            connection.send(index);
            if (connection.recv() != index) {
                throw new AssertionError("a reply for another client");
            }
        }
    }

    /**
     * Three children released together by a barrier connect at once; the listener authenticates them concurrently,
     * and the parent holds all three connections open at the same time (so they overlapped) and answers each.
     */
    @Test
    public void childrenThatConnectAtOnceAreAllServed() {
        int clients = 3;
        within(90, "three children connecting at once", () -> {
            byte[] key = newKey();
            try (Listener listener = listen(key)) {
                SocketAddress address = listener.address();
                SharedBarrier start = context.barrier(clients);
                SharedInt connected = context.sharedInt(0);
                List<ChildProcess> children = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    int index = i;
                    children.add(context.process(() -> connectAtOnce(start, connected, address, key, index)).start());
                }
                java.util.Map<Connection<Integer>, Integer> indexes = new java.util.HashMap<>();
                for (int i = 0; i < clients; i++) {
                    Connection<Integer> connection = listener.accept(TckTimeouts.millis(60), TimeUnit.MILLISECONDS);
                    indexes.put(connection, connection.recv());
                }
                assertEquals(Set.of(0, 1, 2), new HashSet<>(indexes.values()));
                assertEquals(clients, connected.get(), "the clients were not all connected at once");
                for (java.util.Map.Entry<Connection<Integer>, Integer> entry : indexes.entrySet()) {
                    entry.getKey().send(entry.getValue());
                }
                for (ChildProcess child : children) {
                    child.join();
                    assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
                }
                for (Connection<Integer> connection : indexes.keySet()) {
                    connection.close();
                }
                return null;
            }
        });
    }

    /**
     * A JVM that multiproc did not start connects over a Unix domain socket (TCP where there are none) with the
     * right key and exchanges objects and bytes. Before it, a client in this JVM and another unrelated JVM with a
     * wrong key are refused: each gets {@link AuthenticationException}, so does the listener's {@code accept}, and
     * the listener serves the next client.
     */
    @Test
    public void anUnrelatedJvmConnectsWithTheKeyAndAWrongKeyIsRefusedOnBothEnds() throws IOException {
        Path directory = Files.createTempDirectory("multiproc-listener");
        try {
            within(90, "unrelated JVMs connecting", () -> {
                byte[] key = newKey();
                SocketAddress where = unixSocketsWork() ? UnixDomainSocketAddress.of(directory.resolve("l.sock"))
                        : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
                try (Listener listener = listen(where, key, Duration.ofSeconds(30), 64 << 20)) {
                    SocketAddress address = listener.address();
                    assertThrows(AuthenticationException.class, () -> connect(address, newKey()),
                            "a client with a wrong key was let in");
                    assertThrows(AuthenticationException.class, () -> listener.accept(TckTimeouts.millis(20),
                            TimeUnit.MILLISECONDS), "the listener accepted a client with a wrong key");

                    Process intruder = new ProcessBuilder(javaCommand(ListenerClientMain.class, List.of(),
                            ListenerClientMain.describe(address), HexFormat.of().formatHex(newKey())))
                            .redirectErrorStream(true).start();
                    AuthenticationException refused = assertThrows(AuthenticationException.class,
                            () -> listener.accept(TckTimeouts.millis(60), TimeUnit.MILLISECONDS));
                    assertTrue(refused.getMessage().contains("key"), refused.getMessage());
                    String intruderSaid = new String(intruder.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertTrue(intruder.waitFor(TckTimeouts.millis(30), TimeUnit.MILLISECONDS));
                    assertEquals(3, intruder.exitValue(), "the client with a wrong key said: " + intruderSaid);
                    assertTrue(intruderSaid.startsWith("AUTH "), intruderSaid);

                    Process friend = new ProcessBuilder(javaCommand(ListenerClientMain.class, List.of(),
                            ListenerClientMain.describe(address), HexFormat.of().formatHex(key)))
                            .redirectErrorStream(true).start();
                    try (Connection<Object> connection = listener.accept(TckTimeouts.millis(60),
                            TimeUnit.MILLISECONDS)) {
                        connection.send(Arrays.asList("an", "object"));
                        connection.sendBytes(new byte[] {7, 8, 9});
                        assertEquals("echo:[an, object]", connection.recv());
                        assertArrayEquals(new byte[] {9, 8, 7}, connection.recvBytes());
                        connection.send("bye");
                        String said = new String(friend.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                        assertTrue(friend.waitFor(TckTimeouts.millis(30), TimeUnit.MILLISECONDS));
                        assertEquals(0, friend.exitValue(), "the client said: " + said);
                        assertEquals("OK", said.strip());
                    } finally {
                        friend.destroyForcibly();
                        intruder.destroyForcibly();
                    }
                }
                assertFalse(Files.exists(directory.resolve("l.sock")), "the listener left its socket file");
                return null;
            });
        } finally {
            Files.deleteIfExists(directory.resolve("l.sock"));
            Files.delete(directory);
        }
    }

    private static boolean unixSocketsWork() {
        try {
            java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX).close();
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * A peer that says nothing and one that sends what is not the protocol are dropped (the listener closes their
     * sockets: the garbage one at once, the silent one when its handshake time is up), {@code accept} never hears of
     * them, and a real client is served while the silent one still waits.
     */
    @Test
    public void silentAndGarbagePeersAreDroppedWithoutDisturbingTheListener() {
        within(60, "silent and garbage peers", () -> {
            byte[] key = newKey();
            try (Listener listener = listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), key,
                    Duration.ofMillis(TckTimeouts.millis(1.5)), 64 << 20);
                    Socket silent = new Socket();
                    Socket garbage = new Socket()) {
                SocketAddress address = listener.address();
                long start = System.nanoTime();
                silent.connect(address);
                garbage.connect(address);
                garbage.getOutputStream().write("GET / HTTP/1.1\r\nHost: example\r\n\r\n".getBytes(
                        StandardCharsets.US_ASCII));
                garbage.setSoTimeout((int) TckTimeouts.millis(10));
                assertEquals(-1, drain(garbage.getInputStream()), "the garbage peer was not dropped");
                try (Connection<String> client = connect(address, key);
                        Connection<String> served = listener.accept(TckTimeouts.millis(10), TimeUnit.MILLISECONDS)) {
                    client.send("while a silent peer waits");
                    assertEquals("while a silent peer waits", served.recv());
                }
                silent.setSoTimeout((int) TckTimeouts.millis(20));
                assertEquals(-1, drain(silent.getInputStream()), "the silent peer was not dropped");
                assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(1000),
                        "the silent peer was dropped before its handshake time was up");
                assertThrows(TimeoutException.class, () -> listener.accept(200, TimeUnit.MILLISECONDS),
                        "accept reported a peer that never authenticated");
            }
            return null;
        });
    }

    /**
     * Reads until the end of the stream, or until the peer resets it (a socket closed with unread input is reset);
     * returns -1 then. A read time-out fails the test.
     */
    private static int drain(InputStream in) throws IOException {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // the listener's challenge, if any
            }
        } catch (java.net.SocketException reset) {
            // closed by the peer
        }
        return -1;
    }

    /**
     * A message over the receiver's maximum is refused: {@code send} of an authenticated client refuses it before
     * anything is sent (the connection goes on), and a client that writes such a frame anyway (this test speaks the
     * protocol of docs/protocol.md by hand, with the JDK's HmacSHA256) has its connection closed: the listener's side
     * gets {@link ProtocolException}, having decoded nothing.
     */
    @Test
    public void aMessageOverTheMaximumIsRefused() {
        within(60, "oversized messages", () -> {
            byte[] key = newKey();
            try (Listener listener = listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), key,
                    Duration.ofSeconds(10), 1024)) {
                SocketAddress address = listener.address();
                try (Connection<Object> client = connect(address, key);
                        Connection<Object> served = listener.accept(TckTimeouts.millis(10), TimeUnit.MILLISECONDS)) {
                    assertThrows(IllegalArgumentException.class, () -> client.sendBytes(new byte[2000]));
                    client.sendBytes(new byte[1000]);
                    assertEquals(1000, served.recvBytes().length, "the connection went on after a refused send");
                }
                try (Socket raw = new Socket()) {
                    raw.connect(address);
                    DataInputStream in = new DataInputStream(raw.getInputStream());
                    DataOutputStream out = new DataOutputStream(raw.getOutputStream());
                    handshakeByHand(in, out, key);
                    Connection<Object> served = listener.accept(TckTimeouts.millis(10), TimeUnit.MILLISECONDS);
                    out.writeInt(1 + 1025);
                    out.writeByte(2);
                    out.write(new byte[1025]); // one byte over
                    out.writeInt(1 + 4);
                    out.writeByte(2);
                    out.write(new byte[4]);
                    out.flush();
                    ProtocolException refused = assertThrows(ProtocolException.class, served::recvBytes);
                    assertTrue(refused.getMessage().contains("over the maximum"), refused.getMessage());
                    raw.setSoTimeout((int) TckTimeouts.millis(10));
                    assertEquals(-1, drain(in), "the oversized sender's connection stayed open");
                    served.close();
                }
            }
            return null;
        });
    }

    /** The client's half of the handshake, written from docs/protocol.md with the JDK's Mac. */
    private static void handshakeByHand(DataInputStream in, DataOutputStream out, byte[] key) throws Exception {
        byte[] nonceC = new byte[32];
        RANDOM.nextBytes(nonceC);
        out.writeInt(36);
        out.write("MPL1".getBytes(StandardCharsets.US_ASCII));
        out.write(nonceC);
        out.flush();
        assertEquals(68, in.readInt(), "the challenge's length");
        byte[] magic = new byte[4];
        byte[] nonceS = new byte[32];
        byte[] listenerProof = new byte[32];
        in.readFully(magic);
        in.readFully(nonceS);
        in.readFully(listenerProof);
        assertEquals("MPL1", new String(magic, StandardCharsets.US_ASCII));
        assertArrayEquals(hmac(key, "multiproc-listener", nonceC, nonceS), listenerProof, "the listener's proof");
        out.writeInt(37);
        out.writeByte(1);
        out.write(hmac(key, "multiproc-client", nonceS, nonceC));
        out.writeInt(1 << 20);
        out.flush();
        assertEquals(5, in.readInt(), "the welcome's length");
        assertEquals(1, in.readByte(), "the welcome");
        assertEquals(1024, in.readInt(), "the listener's maximum message size");
    }

    private static byte[] hmac(byte[] key, String role, byte[] first, byte[] second) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update(role.getBytes(StandardCharsets.US_ASCII));
        mac.update(first);
        return mac.doFinal(second);
    }

    /**
     * A connection made by the listener or the client is a socket of this process: a task that captures it is
     * refused where it is submitted, with a {@link SerializationException} that says to connect from the child.
     */
    @Test
    public void aConnectionCannotBeSentToAChild() {
        within(30, "sending a connection to a child", () -> {
            byte[] key = newKey();
            try (Listener listener = listen(key);
                    Connection<String> client = connect(listener.address(), key)) {
                SerializationException refused = assertThrows(SerializationException.class,
                        () -> context.process(() -> client.send("from a child")).start());
                assertTrue(refused.getMessage().contains("Multiproc.connect"), refused.getMessage());
                assertInstanceOf(java.io.NotSerializableException.class, refused.getCause());
            }
            return null;
        });
    }
}
