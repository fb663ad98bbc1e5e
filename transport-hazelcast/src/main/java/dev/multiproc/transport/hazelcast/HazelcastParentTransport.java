package dev.multiproc.transport.hazelcast;

import com.hazelcast.cluster.Address;
import com.hazelcast.collection.IQueue;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.multiproc.spi.ChildAttachment;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.ParentTransport;
import dev.multiproc.spi.RandomBytes;
import dev.multiproc.spi.TransportConfig;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The parent's side: an embedded Hazelcast member (alone in a cluster named after the context, unless configured to
 * join others), a random key that children learn on their stdin, and two queues per child. Closing it destroys the
 * queues and takes the member down.
 */
final class HazelcastParentTransport implements ParentTransport {
    private static final int KEY_LENGTH = 32;

    private final HazelcastInstance member;
    private final String contextId;
    private final int maxMessageSize;
    private final byte[] key = RandomBytes.next(KEY_LENGTH);
    private final String descriptor;

    private HazelcastParentTransport(HazelcastInstance member, TransportConfig config, String clusterName) {
        this.member = member;
        this.contextId = config.contextId();
        this.maxMessageSize = config.maxMessageSize();
        Address address = member.getCluster().getLocalMember().getAddress();
        this.descriptor = new HazelcastDescriptor(address.getHost() + ":" + address.getPort(), clusterName,
                contextId).encode();
    }

    static HazelcastParentTransport open(TransportConfig config) throws IOException {
        String clusterName = config.get(HazelcastTransport.CLUSTER_NAME);
        if (clusterName == null || clusterName.isBlank()) {
            clusterName = "multiproc-" + config.contextId();
        }
        HazelcastConfigs.silenceLogging();
        String bind = config.get(HazelcastTransport.BIND_ADDRESS);
        int port = config.get(HazelcastTransport.PORT);
        try {
            HazelcastInstance member = Hazelcast.newHazelcastInstance(HazelcastConfigs.member(clusterName,
                    "multiproc-" + config.contextId(), bind, port, config.get(HazelcastTransport.MEMBERS),
                    config.get(HazelcastTransport.QUEUE_CAPACITY)));
            return new HazelcastParentTransport(member, config, clusterName);
        } catch (RuntimeException e) {
            throw new IOException("cannot start a Hazelcast member on " + bind + ":" + port + "+ in cluster "
                    + clusterName + ": " + e.getMessage() + " (set -D" + HazelcastTransport.BIND_ADDRESS.name()
                    + ", -D" + HazelcastTransport.PORT.name() + ")", e);
        }
    }

    @Override
    public ChildAttachment prepare(String childId) {
        IQueue<byte[]> down = member.getQueue(HazelcastDescriptor.queueName(contextId, childId, true));
        IQueue<byte[]> up = member.getQueue(HazelcastDescriptor.queueName(contextId, childId, false));
        byte[] upLabel = HazelcastFrame.label(contextId, childId, false);
        byte[] downLabel = HazelcastFrame.label(contextId, childId, true);
        return new ChildAttachment() {
            private final CompletableFuture<MessageChannel> connected = new CompletableFuture<>();

            @Override
            public String descriptor() {
                return descriptor;
            }

            @Override
            public byte[] secret() {
                return key.clone();
            }

            @Override
            public CompletableFuture<MessageChannel> attach(Process process) {
                String peer = "child " + childId + " (pid " + process.pid() + ")";
                process.onExit().thenRun(() -> {
                    // the child's frames were read before this (its channel ends only once the queue is empty)
                    // or never will be; give the reader a moment, then drop both queues
                    CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS).execute(() -> destroy(up, down));
                });
                Thread waiter = new Thread(() -> awaitHello(process, peer, up, down, upLabel, downLabel, connected),
                        "multiproc-hazelcast-hello-" + childId);
                waiter.setDaemon(true);
                waiter.start();
                return connected;
            }

            @Override
            public void abort() {
                connected.cancel(false);
                destroy(up, down);
            }
        };
    }

    private void awaitHello(Process process, String peer, IQueue<byte[]> up, IQueue<byte[]> down, byte[] upLabel,
            byte[] downLabel, CompletableFuture<MessageChannel> connected) {
        try {
            while (!connected.isDone()) {
                byte[] hello = up.poll(100, TimeUnit.MILLISECONDS);
                if (hello != null) {
                    byte kind = HazelcastFrame.verify(key, upLabel, hello, 0, peer);
                    if (kind != HazelcastFrame.HELLO) {
                        throw new java.net.ProtocolException(peer + " sent frame kind " + kind + " before hello");
                    }
                    connected.complete(new HazelcastQueueChannel(peer, maxMessageSize, up, down, key, upLabel,
                            downLabel, 1, 0, () -> !process.isAlive(), () -> { }));
                } else if (!process.isAlive()) {
                    throw new IOException(peer + " exited before it joined the cluster");
                }
            }
        } catch (IOException | RuntimeException e) {
            connected.completeExceptionally(e);
        } catch (InterruptedException e) {
            connected.completeExceptionally(e);
        }
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
        // This context's member holds nothing anyone else needs: take it down at once rather than migrate.
        member.getLifecycleService().terminate();
    }
}
