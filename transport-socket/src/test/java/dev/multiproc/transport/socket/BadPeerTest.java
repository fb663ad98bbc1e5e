package dev.multiproc.transport.socket;

import dev.multiproc.spi.AuthkeyFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.tck.TckTimeouts;
import dev.multiproc.AuthenticationException;
import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.Pool;
import dev.multiproc.ProtocolException;
import dev.multiproc.SharedEvent;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedLock;
import dev.multiproc.SharedLong;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.MessageHandler;
import dev.multiproc.spi.RemoteWorkers;
import dev.multiproc.spi.TransportConfig;
import dev.multiproc.tck.TransportContract;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers that are not our children: each is refused without harming the parent, which then still accepts a real
 * child; and an authenticated peer that breaks the protocol is cut off without harming anything else. Talks only to
 * the listeners this test opens on 127.0.0.1.
 */
class BadPeerTest {
    private static final String SOCKET_LOGGER = "dev.multiproc.transport.socket";
    private static final byte[] GARBAGE = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FLOOD_BYTES = {(byte) 0x7f, 0, 0, 0};
    /** The reasons the parent gives for refusing each kind of bad peer that these tests send. */
    private static final String OVERSIZED_HANDSHAKE = "frame claims " + (SocketHandshake.MAX_HANDSHAKE_FRAME + 1)
            + " bytes, more than the handshake limit";
    private static final String WRONG_KEY = "failed authentication (wrong key)";
    private static final String GARBAGE_REFUSED = "frame claims " + ByteBuffer.wrap(GARBAGE).getInt() + " bytes";
    private static final String FLOOD_REFUSED = "frame claims " + ByteBuffer.wrap(FLOOD_BYTES).getInt() + " bytes";
    private static final String SILENCE_REFUSED = "did not authenticate within";

    private SocketParentTransport parent;
    private String host;
    private int port;

    @BeforeEach
    void open() throws IOException {
        // a short handshake timeout for this parent only, so that the wait for a silent peer to be dropped stays
        // short; the build-wide property made cold remote workers' TLS handshakes on a loaded machine fail (seen at
        // 1000 and at 3000 ms), so every other parent keeps the default
        parent = SocketParentTransport.open(new TransportConfig("test", 1 << 20,
                Map.of(SocketTransport.HANDSHAKE_TIMEOUT_MILLIS.name(), 3000L)), "127.0.0.1", 0);
        String descriptor = parent.prepare("probe").descriptor();
        host = descriptor.substring(0, descriptor.lastIndexOf(':'));
        port = Integer.parseInt(descriptor.substring(descriptor.lastIndexOf(':') + 1));
    }

    @AfterEach
    void close() {
        parent.close();
    }

    /**
     * The tck's deadline helpers, which dump this JVM's threads and children when a deadline passes. They are
     * {@code protected} in {@link TransportContract}; this never-instantiated subclass reaches them without opening
     * the contract's per-test context.
     */
    @SuppressWarnings("EffectivelyPrivate") // they hide the contract's protected methods, so they stay protected
    private abstract static class Deadlines extends TransportContract {
        protected static <T> T within(double seconds, String what, ThrowingSupplier<T> action) {
            return TransportContract.within(seconds, what, action);
        }

        protected static void await(double seconds, String what, BooleanSupplier condition) {
            TransportContract.await(seconds, what, condition);
        }
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
        Deadlines.within(15, "the parent closing a bad peer's connection", () -> {
            while (socket.getInputStream().read() >= 0) {
                // drain whatever the parent sent before closing
            }
            return null;
        });
    }

    private static Socket connect(String address) throws IOException {
        int colon = address.lastIndexOf(':');
        return new Socket(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
    }

    /** Runs the child's side of the handshake with the given key; returns the connected socket. */
    private Socket handshake(String childId, byte[] key) throws IOException {
        return handshake(host + ":" + port, childId, key);
    }

    /** As {@link #handshake(String, byte[])}, with the parent listening at {@code address} (HOST:PORT). */
    private static Socket handshake(String address, String childId, byte[] key) throws IOException {
        Socket socket = connect(address);
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

    /**
     * While installed, collects the WARNING (and worse) records of every {@code dev.multiproc} logger, and every
     * refusal the socket transport logs, at any level (it logs only the first refusal of an address at WARNING).
     */
    private static final class Warnings extends Handler implements AutoCloseable {
        // Held strongly: java.util.logging keeps loggers only weakly, and would drop the handler with its logger.
        private final Logger root = Logger.getLogger("dev.multiproc");
        private final Logger socket = Logger.getLogger(SOCKET_LOGGER);
        private final Level socketLevel = socket.getLevel();
        private final List<LogRecord> records = new CopyOnWriteArrayList<>();
        private final List<String> refusals = new CopyOnWriteArrayList<>();

        Warnings() {
            socket.setLevel(Level.FINE); // System.Logger's DEBUG; the console handler still shows INFO and up only
            root.addHandler(this);
        }

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                records.add(record);
            }
            if (SOCKET_LOGGER.equals(record.getLoggerName()) && record.getMessage().startsWith("refused")) {
                refusals.add(record.getMessage());
            }
        }

        List<LogRecord> from(String logger) {
            return records.stream().filter(r -> logger.equals(r.getLoggerName())).toList();
        }

        /** @return the records of loggers other than {@code logger}, for messages */
        List<String> notFrom(String logger) {
            return records.stream().filter(r -> !logger.equals(r.getLoggerName()))
                    .map(r -> r.getLoggerName() + ": " + r.getMessage()).toList();
        }

        /** @return how many refusals, at any level, gave a reason containing {@code reason} */
        long refusedFor(String reason) {
            return refusals.stream().filter(message -> message.contains(reason)).count();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            root.removeHandler(this);
            socket.setLevel(socketLevel);
        }
    }

    /**
     * Asserts that exactly one refusal gave {@code reason}, and no other refusal was logged: a bad peer is refused
     * for what it did, not later for its silence (the handshake timeout would close it too).
     */
    private static void assertRefusedOnlyFor(Warnings warnings, String reason) {
        assertEquals(1, warnings.refusedFor(reason), "refusals: " + warnings.refusals);
        assertEquals(1, warnings.refusals.size(), "refusals: " + warnings.refusals);
    }

    /**
     * The other way round: a child (or remote worker) whose "parent" answers the challenge without the key refuses
     * it with {@link AuthenticationException}, as {@code Multiproc.connect} does, before it sends its own proof.
     */
    @Test
    void aChildRefusesAParentThatDoesNotKnowTheKey() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> sentAfterChallenge = new CompletableFuture<>();
            Thread impostor = new Thread(() -> {
                try (Socket peer = server.accept()) {
                    DataInputStream in = new DataInputStream(peer.getInputStream());
                    in.readFully(new byte[in.readInt()]);
                    DataOutputStream out = new DataOutputStream(peer.getOutputStream());
                    out.writeInt(SocketHandshake.NONCE_LENGTH + SocketHandshake.PROOF_LENGTH);
                    out.write(SocketHandshake.random(SocketHandshake.NONCE_LENGTH));
                    out.write(SocketHandshake.random(SocketHandshake.PROOF_LENGTH));
                    out.flush();
                    sentAfterChallenge.complete(in.read()); // -1: the child closed without a proof of its own
                } catch (IOException e) {
                    sentAfterChallenge.completeExceptionally(e);
                }
            }, "impostor-parent");
            impostor.start();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                AuthenticationException refused = org.junit.jupiter.api.Assertions.assertThrows(
                        AuthenticationException.class, () -> SocketChildChannel.authenticate(in, out,
                                SocketHandshake.random(SocketHandshake.KEY_LENGTH), "c1"));
                assertTrue(refused.getMessage().contains("does not know this context's key"), refused.getMessage());
            }
            assertEquals(-1, sentAfterChallenge.get(10, TimeUnit.SECONDS), "the child answered an impostor");
            impostor.join(10_000);
        }
    }

    @Test
    void wrongKeyIsRefusedAndTheChildSlotStaysOpenForTheRealChild() throws Exception {
        CompletableFuture<MessageChannel> slot = expect("c1");
        try (Warnings warnings = new Warnings();
                Socket impostor = handshake("c1", SocketHandshake.random(SocketHandshake.KEY_LENGTH))) {
            assertClosedByParent(impostor);
            assertRefusedOnlyFor(warnings, WRONG_KEY + " for child id 'c1'");
        }
        assertFalse(slot.isDone(), "an impostor took the child's place");
        try (Socket real = handshake("c1", parent.key())) {
            MessageChannel channel = slot.get(TckTimeouts.millis(10), TimeUnit.MILLISECONDS);
            assertEquals(1 << 20, channel.maxMessageSize());
            assertTrue(real.isConnected());
        }
    }

    @Test
    void garbageIsRefusedBeforeAnythingIsBuffered() throws Exception {
        try (Warnings warnings = new Warnings(); Socket peer = new Socket(host, port)) {
            peer.getOutputStream().write(GARBAGE);
            peer.getOutputStream().flush();
            assertClosedByParent(peer);
            assertRefusedOnlyFor(warnings, GARBAGE_REFUSED);
        }
    }

    @Test
    void oversizedHandshakeFrameIsRefused() throws Exception {
        try (Warnings warnings = new Warnings(); Socket peer = new Socket(host, port)) {
            DataOutputStream out = new DataOutputStream(peer.getOutputStream());
            out.writeInt(SocketHandshake.MAX_HANDSHAKE_FRAME + 1);
            out.flush();
            assertClosedByParent(peer);
            assertRefusedOnlyFor(warnings, OVERSIZED_HANDSHAKE);
        }
    }

    @Test
    void unknownChildIdIsRefusedEvenWithTheRightKey() throws Exception {
        try (Warnings warnings = new Warnings(); Socket stranger = handshake("not-a-child", parent.key())) {
            assertClosedByParent(stranger);
            assertRefusedOnlyFor(warnings, "authenticated as child 'not-a-child', which is not expected");
        }
    }

    @Test
    void aFloodOfBadPeersIsLoggedOnceAndTheRealChildStillConnects() throws Exception {
        try (Warnings warnings = new Warnings()) {
            CompletableFuture<MessageChannel> slot = expect("c7");
            for (int i = 0; i < 50; i++) { // bounded: 50 attempts on our own listener
                try (Socket peer = new Socket(host, port)) {
                    peer.getOutputStream().write(FLOOD_BYTES);
                    peer.getOutputStream().flush();
                    assertClosedByParent(peer);
                }
            }
            try (Socket real = handshake("c7", parent.key())) {
                slot.get(TckTimeouts.millis(10), TimeUnit.MILLISECONDS);
                assertTrue(real.isConnected());
            }
            assertEquals(1, warnings.from(SOCKET_LOGGER).size(), "refusals logged at WARNING: "
                    + warnings.from(SOCKET_LOGGER).size());
        }
    }

    @Test
    void silentConnectionIsClosedAfterTheHandshakeTimeout() throws Exception {
        assertTrue(parent.handshakeTimeoutMillis() <= 5000, "open() sets the handshake timeout low for this test");
        try (Warnings warnings = new Warnings(); Socket silent = new Socket(host, port)) {
            assertClosedByParent(silent);
            assertRefusedOnlyFor(warnings, SILENCE_REFUSED);
        }
    }

    // ---- bad peers while a pool works ----

    /** A pool task: some work, a count, a count under the shared lock; the last item waits for {@code release}. */
    static List<Long> steadyTask(int item, int last, SharedEvent release, SharedInt done, SharedLock lock,
            SharedLong guarded) throws InterruptedException {
        if (item == last && !release.await(TckTimeouts.millis(60), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the test never released the last item");
        }
        Thread.sleep(10); // the work itself, not synchronisation
        done.incrementAndGet();
        lock.lock();
        try {
            guarded.set(guarded.get() + 1); // a lost update here means the lock let two workers in
        } finally {
            lock.unlock();
        }
        return List.of((long) item * item, ProcessHandle.current().pid());
    }

    /** A pool task that returns only once {@code workers} tasks hold a worker each: then all of them are busy. */
    static long rendezvous(SharedInt arrived, SharedEvent together, int workers) throws InterruptedException {
        if (arrived.incrementAndGet() == workers) {
            together.set();
        }
        if (!together.await(TckTimeouts.millis(60), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("only " + arrived.get() + " of " + workers + " workers took a task");
        }
        return ProcessHandle.current().pid();
    }

    /** @return the pids of the pool's two workers, each made to hold one task at the same time */
    private static Set<Long> workerPids(Context context, Pool pool) throws Exception {
        SharedInt arrived = context.sharedInt(0);
        SharedEvent together = context.event();
        List<CompletableFuture<Long>> pids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            pids.add(pool.applyAsync(ignored -> rendezvous(arrived, together, 2), i));
        }
        Set<Long> distinct = new HashSet<>();
        for (CompletableFuture<Long> pid : pids) {
            distinct.add(Deadlines.within(60, "a worker's pid", () -> pid.get()));
        }
        assertEquals(2, distinct.size(), "two tasks held at once by the pool's 2 workers: " + distinct);
        return distinct;
    }

    /**
     * A map over {@code items} items of {@link #steadyTask}, which cannot finish before {@link #finish} (or, when a
     * test fails first, {@link #close}) releases its last item.
     */
    private record SteadyMap(CompletableFuture<List<List<Long>>> results, SharedInt done, SharedLong guarded,
            SharedEvent release, int items) implements AutoCloseable {
        static SteadyMap start(Context context, Pool pool, int items) {
            SharedEvent release = context.event();
            SharedInt done = context.sharedInt(0);
            SharedLock lock = context.lock();
            SharedLong guarded = context.sharedLong(0);
            int last = items - 1;
            CompletableFuture<List<List<Long>>> results = pool.mapAsync(
                    item -> steadyTask(item, last, release, done, lock, guarded),
                    IntStream.range(0, items).boxed().toList());
            Deadlines.await(60, "the pool to start on the map", () -> done.get() > 0);
            return new SteadyMap(results, done, guarded, release, items);
        }

        /** Lets the map finish; asserts every result and both counters are exact; returns the pids that served. */
        Set<Long> finish() {
            assertFalse(results.isDone(), "the map finished before the last item was released");
            release.set();
            List<List<Long>> served = Deadlines.within(60, "the map to finish", () -> results.get());
            assertEquals(IntStream.range(0, items).mapToObj(i -> (long) i * i).toList(),
                    served.stream().map(result -> result.get(0)).toList(), "the map's results");
            assertEquals(items, done.get(), "the shared counter");
            assertEquals(items, guarded.get(), "the lock-guarded counter");
            return served.stream().map(result -> result.get(1)).collect(Collectors.toSet());
        }

        @Override
        public void close() {
            release.set();
        }
    }

    /** The context still takes a new child: it starts, writes a shared value and exits 0. */
    private static void assertANewChildStillStarts(Context context) throws Exception {
        SharedInt ran = context.sharedInt(0);
        ChildProcess child = context.process(() -> ran.set(42)).start();
        assertTrue(Deadlines.within(60, "the new child",
                () -> child.join(TckTimeouts.millis(60), TimeUnit.MILLISECONDS)),
                "the new child did not exit");
        assertEquals(0, child.exitCode().orElse(-1), "the new child's exit code; failure: " + child.failure());
        assertEquals(42, ran.get(), "the new child's write");
    }

    private static void closeWithin(Context context) {
        Deadlines.within(30, "closing the context", () -> {
            context.close();
            return null;
        });
    }

    /** Every kind of unauthenticated bad peer, at the parent listening at {@code address}. */
    private static void knockWithEveryKindOfBadPeer(String address) throws Exception {
        List<Socket> silent = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) { // they stay open, and say nothing, while the others knock
                silent.add(connect(address));
            }
            try (Socket impostor = handshake(address, SocketHandshake.REMOTE_PREFIX + "impostor/00000000",
                    SocketHandshake.random(SocketHandshake.KEY_LENGTH))) {
                assertClosedByParent(impostor);
            }
            try (Socket garbage = connect(address)) {
                garbage.getOutputStream().write(GARBAGE);
                garbage.getOutputStream().flush();
                assertClosedByParent(garbage);
            }
            try (Socket oversized = connect(address)) {
                DataOutputStream out = new DataOutputStream(oversized.getOutputStream());
                out.writeInt(SocketHandshake.MAX_HANDSHAKE_FRAME + 1);
                out.flush();
                assertClosedByParent(oversized);
            }
            for (int i = 0; i < 50; i++) { // a flood, bounded: 50 attempts on our own listener
                try (Socket peer = connect(address)) {
                    peer.getOutputStream().write(FLOOD_BYTES);
                    peer.getOutputStream().flush();
                    assertClosedByParent(peer);
                }
            }
            for (Socket peer : silent) {
                assertClosedByParent(peer);
            }
        } finally {
            for (Socket peer : silent) {
                peer.close();
            }
        }
    }

    @Test
    void runningTasksAndSharedValuesAreUnaffectedWhileEveryKindOfBadPeerKnocks() throws Exception {
        SocketTestTransport.Opened opened = SocketTestTransport.open("127.0.0.1", null);
        Context context = opened.context();
        try (Warnings warnings = new Warnings()) {
            try (Pool pool = context.pool(2)) {
                Set<Long> workers = workerPids(context, pool);
                try (SteadyMap map = SteadyMap.start(context, pool, 200)) {
                    knockWithEveryKindOfBadPeer(opened.parent().address());
                    Set<Long> served = map.finish();
                    assertTrue(workers.containsAll(served), "tasks ran in " + served + ", not only in the pool's "
                            + "workers " + workers + ": a worker was replaced");
                }
                assertEquals(workers, workerPids(context, pool), "the pool's workers after the bad peers");
            }
            assertANewChildStillStarts(context);
            // Each refused for what it did (not, say, all for silence), and logged at WARNING once: one address.
            String refusals = "refusals: " + warnings.refusals;
            assertEquals(1, warnings.refusedFor(WRONG_KEY), refusals);
            assertEquals(1, warnings.refusedFor(GARBAGE_REFUSED), refusals);
            assertEquals(1, warnings.refusedFor(OVERSIZED_HANDSHAKE), refusals);
            assertEquals(3, warnings.refusedFor(SILENCE_REFUSED), refusals);
            assertEquals(50, warnings.refusedFor(FLOOD_REFUSED), refusals);
            assertEquals(56, warnings.refusals.size(), refusals);
            assertEquals(1, warnings.from(SOCKET_LOGGER).size(), "refusals logged at WARNING (one per address): "
                    + warnings.from(SOCKET_LOGGER).stream().map(LogRecord::getMessage).toList());
            assertEquals(List.of(), warnings.notFrom(SOCKET_LOGGER), "warnings about the pool or its workers");
        } finally {
            closeWithin(context);
        }
    }

    // ---- an authenticated peer that breaks the protocol ----

    /**
     * Joins as remote worker {@code childId}, then sends the header of a frame one byte over the maximum the parent
     * announced, and nothing else; asserts that the parent closes the connection.
     *
     * @return the parent's maximum message size
     */
    private static int joinAndClaimAnOversizedFrame(String address, String childId, byte[] key) throws IOException {
        try (Socket peer = handshake(address, childId, key)) {
            // The parent welcomes only a remote worker whose proof it checked: this peer is authenticated.
            DataInputStream in = new DataInputStream(peer.getInputStream());
            int length = in.readInt();
            int max = in.readInt();
            in.readFully(new byte[length - 4]);
            assertTrue(max > 0 && max < Integer.MAX_VALUE, "the welcome's maximum message size: " + max);
            // Only the header: the parent must refuse on it alone, before any of the claimed bytes exist.
            DataOutputStream out = new DataOutputStream(peer.getOutputStream());
            out.writeInt(max + 1);
            out.flush();
            assertClosedByParent(peer);
            return max;
        }
    }

    @Test
    void aRemoteWorkerClaimingAFrameOverTheMaximumIsCutOffAndLoggedWithoutHarm(@TempDir Path dir)
            throws Exception {
        Path keyFile = dir.resolve("authkey");
        SocketTestTransport.Opened opened = SocketTestTransport.open("127.0.0.1", keyFile);
        Context context = opened.context();
        // Whoever holds a copy of the authkey file can authenticate as a remote worker, choosing its own id.
        byte[] key = AuthkeyFile.load(keyFile);
        String intruder = SocketHandshake.REMOTE_PREFIX + "intruder/"
                + HexFormat.of().formatHex(SocketHandshake.random(4));
        try (Warnings warnings = new Warnings()) {
            try (Pool pool = context.pool(2)) {
                Set<Long> workers = workerPids(context, pool);
                try (SteadyMap map = SteadyMap.start(context, pool, 100)) {
                    int max = joinAndClaimAnOversizedFrame(opened.parent().address(), intruder, key);
                    String expected = "frame claims " + (max + 1L) + " bytes, more than the maximum message size"
                            + " of " + max;
                    Deadlines.await(10, "the parent to log the intruder's oversized frame", () -> warnings
                            .from(SOCKET_LOGGER).stream().anyMatch(r -> r.getMessage().contains(intruder)));
                    List<String> logged = warnings.from(SOCKET_LOGGER).stream().map(LogRecord::getMessage).toList();
                    assertEquals(1, logged.size(), "WARNINGs of the socket transport: " + logged);
                    assertTrue(logged.get(0).contains(expected) && logged.get(0).contains("ProtocolException"),
                            logged.get(0));

                    // It is forgotten, not left for a pool to take (with whatever it might send next).
                    CompletableFuture<RemoteWorkers.Joined> claim = opened.parent().remoteWorkers().orElseThrow().next();
                    assertFalse(claim.isDone(), "the intruder is still offered to pools: " + claim);
                    claim.cancel(false);

                    Set<Long> served = map.finish();
                    assertTrue(workers.containsAll(served), "tasks ran in " + served + ", not only in the pool's "
                            + "workers " + workers + ": a worker was replaced");
                }
                assertEquals(workers, workerPids(context, pool), "the pool's workers after the intruder");
            }
            assertANewChildStillStarts(context);
            assertEquals(List.of(), warnings.notFrom(SOCKET_LOGGER), "warnings about the pool or its workers");
        } finally {
            closeWithin(context);
        }
    }

    @Test
    void anExpectedChildClaimingAFrameOverTheMaximumIsClosedWithAProtocolExceptionAndNothingDelivered()
            throws Exception {
        CompletableFuture<MessageChannel> slot = expect("c3");
        MessageChannel channel;
        try (Socket child = handshake("c3", parent.key())) {
            channel = slot.get(TckTimeouts.millis(10), TimeUnit.MILLISECONDS);
            DataOutputStream out = new DataOutputStream(child.getOutputStream());
            out.writeInt(parent.maxMessageSize() + 1); // only the header: refused on it alone
            out.flush();
            assertClosedByParent(child);
        }
        // Started after the connection broke, as when the core attaches a child a moment late: the cause survives.
        AtomicInteger delivered = new AtomicInteger();
        CompletableFuture<Throwable> closedBy = new CompletableFuture<>();
        channel.start(new MessageHandler() {
            @Override
            public void onMessage(ByteBuffer message) {
                delivered.incrementAndGet();
            }

            @Override
            public void onClose(Throwable cause) {
                closedBy.complete(cause);
            }
        });
        Throwable cause = Deadlines.within(10, "the channel's close", () -> closedBy.get());
        ProtocolException broken = assertInstanceOf(ProtocolException.class, cause, "the close's cause");
        assertTrue(broken.getMessage().contains("frame claims " + ((1 << 20) + 1L) + " bytes"), broken.getMessage());
        assertEquals(0, delivered.get(), "messages delivered from the oversized frame");
    }
}
