package dev.multiproc.transport.hazelcast;

import com.hazelcast.client.Client;
import com.hazelcast.client.ClientListener;
import com.hazelcast.cluster.Address;
import com.hazelcast.collection.IQueue;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.multiproc.spi.AuthkeyFile;
import dev.multiproc.spi.ChildAttachment;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.NativePrimitives;
import dev.multiproc.spi.ParentTransport;
import dev.multiproc.spi.RandomBytes;
import dev.multiproc.spi.RemoteWorkerLobby;
import dev.multiproc.spi.RemoteWorkers;
import dev.multiproc.spi.TransportConfig;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The parent's side: an embedded Hazelcast member (alone in a cluster named after the context, unless configured to
 * join others), a random key that children learn on their stdin, and two queues per child. With an authkey file it
 * also admits remote workers ({@link HazelcastWorker}) through a join queue ({@link HazelcastJoin}). Closing it
 * destroys the queues and takes the member down.
 */
final class HazelcastParentTransport implements ParentTransport {
    private static final System.Logger LOG = System.getLogger("dev.multiproc.transport.hazelcast");
    private static final int KEY_LENGTH = 32;
    /** How long a blocked poll waits before it looks again whether the peer or the transport ended. */
    private static final long POLL_MILLIS = 100;
    /** How long a welcomed remote worker has to answer with its hello. */
    private static final long REMOTE_HELLO_MILLIS = 30_000;
    /** How long a parent that joined others waits for its share of partitions before it opens. */
    private static final long PARTITION_WAIT_SECONDS = 10;
    /** How long a finished channel's queues are kept, so that the peer's last frames can still be read. */
    private static final long DESTROY_DELAY_SECONDS = 2;

    private final HazelcastInstance member;
    private final String contextId;
    private final int maxMessageSize;
    private final byte[] key = RandomBytes.next(KEY_LENGTH);
    private final HazelcastDescriptor descriptor;
    private final byte[] authkey;
    private final RemoteWorkerLobby lobby;
    /** The clients of remote workers that asked to join, by client UUID. */
    private final Map<UUID, RemoteClient> remoteClients = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final UUID clientListener;
    private final HazelcastNativePrimitives primitives;

    private HazelcastParentTransport(HazelcastInstance member, TransportConfig config, String clusterName,
            byte[] authkey, String members) {
        this.member = member;
        this.contextId = config.contextId();
        this.maxMessageSize = config.maxMessageSize();
        this.authkey = authkey;
        Address address = member.getCluster().getLocalMember().getAddress();
        String hostPort = address.getHost() + ":" + address.getPort();
        this.descriptor = new HazelcastDescriptor(hostPort, clusterName, contextId, localPartitionKey(member));
        this.lobby = new RemoteWorkerLobby("java -cp <the application's class path> "
                + HazelcastWorker.class.getName() + " --members " + (members.isBlank() ? hostPort : hostPort + ","
                + members) + " --cluster " + clusterName + " --authkey-file <a copy of the parent's authkey file>");
        this.primitives = new HazelcastNativePrimitives(contextId, member, descriptor.partitionKey(),
                maxMessageSize);
        HazelcastInstances.register(contextId, member, HazelcastJoin.objectsKey(key));
        this.clientListener = member.getClientService().addClientListener(new ClientListener() {
            @Override
            public void clientConnected(Client client) {
                // only departures matter
            }

            @Override
            public void clientDisconnected(Client client) {
                RemoteClient remote = remoteClients.get(client.getUuid());
                if (remote != null) {
                    remote.left();
                }
                if (!closed.get()) {
                    try {
                        primitives.clientLeft(client.getUuid());
                    } catch (RuntimeException e) {
                        // the member is going down: so is the context
                    }
                }
            }
        });
        if (authkey != null) {
            Thread joins = new Thread(this::admitRemoteWorkers, "multiproc-hazelcast-joins");
            joins.setDaemon(true);
            joins.start();
        }
    }

    static HazelcastParentTransport open(TransportConfig config) throws IOException {
        String authkeyFile = config.get(HazelcastTransport.AUTHKEY_FILE);
        byte[] authkey = authkeyFile.isBlank() ? null : AuthkeyFile.loadOrCreate(Path.of(authkeyFile));
        String clusterName = config.get(HazelcastTransport.CLUSTER_NAME);
        if (clusterName == null || clusterName.isBlank()) {
            // Remote workers must find the cluster without knowing the context: a fixed name then.
            clusterName = authkey != null ? HazelcastTransport.SHARED_CLUSTER_NAME
                    : "multiproc-" + config.contextId();
        }
        HazelcastConfigs.silenceLogging();
        String bind = config.get(HazelcastTransport.BIND_ADDRESS);
        int port = config.get(HazelcastTransport.PORT);
        String members = config.get(HazelcastTransport.MEMBERS);
        HazelcastInstance member;
        try {
            member = Hazelcast.newHazelcastInstance(HazelcastConfigs.member(clusterName,
                    "multiproc-" + config.contextId(), bind, port, members,
                    config.get(HazelcastTransport.QUEUE_CAPACITY)));
        } catch (RuntimeException e) {
            throw new IOException("cannot start a Hazelcast member on " + bind + ":" + port + "+ in cluster "
                    + clusterName + ": " + e.getMessage() + " (set -D" + HazelcastTransport.BIND_ADDRESS.name()
                    + ", -D" + HazelcastTransport.PORT.name() + ")", e);
        }
        try {
            return new HazelcastParentTransport(member, config, clusterName, authkey, members);
        } catch (RuntimeException | Error e) {
            // a member left running would keep this JVM alive: its threads are not daemons
            member.getLifecycleService().terminate();
            throw e;
        }
    }

    /**
     * @return a key whose partition this member owns now (any key, for a member alone): the context's channel queues
     *         go there, so that a child's channel depends on no member but its parent's
     */
    private static String localPartitionKey(HazelcastInstance member) {
        // A member that just joined others gets its partitions by migration: wait (briefly) until they have moved.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PARTITION_WAIT_SECONDS);
        while (member.getCluster().getMembers().size() > 1 && !member.getPartitionService().isClusterSafe()
                && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(POLL_MILLIS / 10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (int i = 0; i < 100_000; i++) {
            String key = "p" + i;
            com.hazelcast.cluster.Member owner = member.getPartitionService().getPartition(key).getOwner();
            if (owner != null && owner.localMember()) {
                return key;
            }
        }
        return "p0"; // this member owns no partition (yet): any will do
    }

    @Override
    public LocalChild prepare(String childId) {
        return new LocalChild(childId);
    }

    /** A local child's two queues, before and after it joined. */
    final class LocalChild implements ChildAttachment {
        private final String childId;
        private final IQueue<byte[]> down;
        private final IQueue<byte[]> up;
        private final CompletableFuture<MessageChannel> connected = new CompletableFuture<>();

        private LocalChild(String childId) {
            this.childId = childId;
            this.down = member.getQueue(descriptor.queueName(childId, true));
            this.up = member.getQueue(descriptor.queueName(childId, false));
        }

        @Override
        public String descriptor() {
            return descriptor.encode();
        }

        @Override
        public byte[] secret() {
            return key.clone();
        }

        @Override
        public CompletableFuture<MessageChannel> attach(Process process) {
            // The child's frames were read before this (its channel ends only once its queue is empty) or never
            // will be: give the reader a moment, then drop both queues.
            process.onExit().thenRun(() -> destroyLater(up, down));
            return attach("child " + childId + " (pid " + process.pid() + ")", () -> !process.isAlive());
        }

        /**
         * Waits for the child's hello.
         *
         * @param peer who the child is, for messages
         * @param gone true once the child can send no more (its process exited)
         * @return the channel, once the child said hello
         */
        CompletableFuture<MessageChannel> attach(String peer, BooleanSupplier gone) {
            Peer channel = new Peer(up, down, key, HazelcastFrame.label(contextId, childId, false),
                    HazelcastFrame.label(contextId, childId, true), gone, 0);
            startHelloWaiter(peer, childId, channel, Long.MAX_VALUE, connected, () -> { });
            return connected;
        }

        @Override
        public void abort() {
            connected.cancel(false);
            destroy(up, down);
        }
    }

    /**
     * One channel's two queues, key and labels, whether its peer can still send, and the number of the first frame
     * the parent sends (1 after a remote worker's welcome).
     */
    @SuppressWarnings("ArrayRecordComponent") // carried, never compared or hashed
    private record Peer(IQueue<byte[]> up, IQueue<byte[]> down, byte[] key, byte[] upLabel, byte[] downLabel,
            BooleanSupplier gone, long firstOut) {
        HazelcastQueueChannel channel(String name, int maxMessageSize, Runnable release) {
            return new HazelcastQueueChannel(name, maxMessageSize, up, down, key, upLabel, downLabel, 1, firstOut,
                    gone, release);
        }
    }

    /**
     * Waits, on a thread of its own, for the peer's hello (frame 0 on its up queue) and completes {@code connected}
     * with the channel; fails it if the peer is gone first, sends something else, or is silent past the deadline.
     */
    private void startHelloWaiter(String name, String id, Peer peer, long timeoutMillis,
            CompletableFuture<MessageChannel> connected, Runnable release) {
        Thread waiter = new Thread(() -> {
            long deadline = timeoutMillis == Long.MAX_VALUE ? Long.MAX_VALUE
                    : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            try {
                while (!connected.isDone()) {
                    byte[] hello = peer.up().poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    if (hello != null) {
                        byte kind = HazelcastFrame.verify(peer.key(), peer.upLabel(), hello, 0, name);
                        if (kind != HazelcastFrame.HELLO) {
                            throw new ProtocolException(name + " sent frame kind " + kind + " before hello");
                        }
                        connected.complete(peer.channel(name, maxMessageSize, release));
                    } else if (peer.gone().getAsBoolean()) {
                        throw new IOException(name + " left before it said hello");
                    } else if (System.nanoTime() - deadline > 0) {
                        throw new IOException(name + " did not say hello within " + timeoutMillis + " ms");
                    }
                }
            } catch (IOException | RuntimeException | InterruptedException e) {
                connected.completeExceptionally(e);
            }
        }, "multiproc-hazelcast-hello-" + id);
        waiter.setDaemon(true);
        waiter.start();
    }

    /** Reads join requests until the transport closes; each authentic one gets a welcome and a hello waiter. */
    private void admitRemoteWorkers() {
        IQueue<byte[]> joins = member.getQueue(HazelcastJoin.joinQueue(authkey));
        while (!closed.get()) {
            Object element;
            try {
                element = joins.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!closed.get()) {
                    LOG.log(System.Logger.Level.WARNING, "multiproc: the Hazelcast join queue failed; remote workers"
                            + " can no longer join this context", e);
                }
                return;
            }
            if (element != null) {
                try {
                    admit(HazelcastJoin.parseRequest(authkey, element));
                } catch (ProtocolException e) {
                    LOG.log(System.Logger.Level.WARNING, "multiproc: dropped a join request that is not from a worker"
                            + " with this parent's authkey (" + e.getMessage() + ")");
                } catch (RuntimeException e) {
                    if (!closed.get()) {
                        LOG.log(System.Logger.Level.WARNING, "multiproc: could not admit a remote worker", e);
                    }
                }
            }
        }
    }

    /**
     * A remote worker's client: gone once it disconnected; while its worker waits for a pool, its channel, which the
     * disconnect closes.
     */
    private final class RemoteClient {
        private final String id;
        private final AtomicBoolean gone = new AtomicBoolean();
        private volatile MessageChannel waiting;

        RemoteClient(String id) {
            this.id = id;
        }

        /** Its worker joined and waits for a pool; if its client left meanwhile, it is forgotten at once. */
        void joined(MessageChannel channel) {
            waiting = channel;
            if (gone.get()) {
                forgetUnclaimed(channel);
            }
        }

        /** Called on the client's disconnect. */
        void left() {
            gone.set(true);
            MessageChannel channel = waiting;
            if (channel != null) {
                forgetUnclaimed(channel);
            }
        }

        /** Closes the channel of a worker no pool claimed: no pool will report how it ended. */
        private void forgetUnclaimed(MessageChannel channel) {
            if (lobby.left(id, channel)) {
                channel.close();
            }
        }
    }

    private void admit(HazelcastJoin.Request request) {
        String id = request.workerId();
        String name = "worker '" + request.name() + "' (Hazelcast client " + request.client() + ")";
        RemoteClient remote = new RemoteClient(id);
        remoteClients.put(request.client(), remote);
        if (member.getClientService().getConnectedClients().stream()
                .noneMatch(client -> client.getUuid().equals(request.client()))) {
            remoteClients.remove(request.client());
            return; // it left before we read its request (or it is a replay)
        }
        if (!lobby.reserve(id)) {
            remoteClients.remove(request.client());
            LOG.log(System.Logger.Level.WARNING, "multiproc: refused " + name + ": a worker with id " + id
                    + " is connected already");
            return;
        }
        IQueue<byte[]> down = member.getQueue(HazelcastDescriptor.queueName(HazelcastJoin.REMOTE, id, true));
        IQueue<byte[]> up = member.getQueue(HazelcastDescriptor.queueName(HazelcastJoin.REMOTE, id, false));
        byte[] downLabel = HazelcastFrame.label(HazelcastJoin.REMOTE, id, true);
        byte[] upLabel = HazelcastFrame.label(HazelcastJoin.REMOTE, id, false);
        byte[] nonce = RandomBytes.next(HazelcastJoin.NONCE_LENGTH);
        byte[] session = HazelcastJoin.sessionKey(authkey, request, nonce);
        down.offer(HazelcastJoin.welcome(session, downLabel, new HazelcastJoin.Welcome(nonce, contextId,
                member.getCluster().getLocalMember().getUuid(), maxMessageSize,
                HazelcastJoin.sealObjectsKey(session, HazelcastJoin.objectsKey(key)))));
        CompletableFuture<MessageChannel> connected = new CompletableFuture<>();
        Runnable left = () -> {
            remoteClients.remove(request.client());
            destroyLater(up, down);
        };
        Peer peer = new Peer(up, down, session, upLabel, downLabel, remote.gone::get, 1);
        startHelloWaiter(name, id, peer, REMOTE_HELLO_MILLIS, connected, left);
        connected.whenComplete((channel, failure) -> {
            if (failure != null) {
                lobby.left(id, null);
                left.run();
                if (!closed.get()) {
                    LOG.log(System.Logger.Level.WARNING, "multiproc: " + name + " did not complete its join: "
                            + failure.getMessage());
                }
                return;
            }
            lobby.joined(new RemoteWorkers.Joined(id, name, channel));
            remote.joined(channel);
        });
    }

    @Override
    public NativePrimitives primitives() {
        return primitives;
    }

    @Override
    public Optional<RemoteWorkers> remoteWorkers() {
        if (authkey == null) {
            throw new IllegalStateException("remote workers need a key they share with this parent: set -D"
                    + HazelcastTransport.AUTHKEY_FILE.name() + "=FILE (a file readable by its owner only; the parent"
                    + " creates it with a random key if it does not exist) and give each remote worker a copy with"
                    + " --authkey-file");
        }
        return Optional.of(lobby);
    }

    private void destroyLater(IQueue<byte[]> up, IQueue<byte[]> down) {
        CompletableFuture.delayedExecutor(DESTROY_DELAY_SECONDS, TimeUnit.SECONDS).execute(() -> destroy(up, down));
    }

    private void destroy(IQueue<byte[]> up, IQueue<byte[]> down) {
        try {
            up.destroy();
            down.destroy();
        } catch (RuntimeException e) {
            // the member is down already: so are its queues
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            lobby.close();
            HazelcastInstances.unregister(contextId, member);
            try {
                member.getClientService().removeClientListener(clientListener);
                primitives.destroy();
            } catch (RuntimeException e) {
                // going down anyway
            }
            // This context's member holds nothing anyone else needs: take it down at once rather than migrate.
            member.getLifecycleService().terminate();
        }
    }
}
