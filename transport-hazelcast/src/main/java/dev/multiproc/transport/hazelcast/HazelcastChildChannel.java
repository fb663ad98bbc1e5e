package dev.multiproc.transport.hazelcast;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import dev.multiproc.spi.ChildEndpoint;
import dev.multiproc.spi.MessageChannel;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A child's side: it joins the parent's cluster as a Hazelcast client (a client starts in a fraction of a lite
 * member's time, holds no partitions, and leaves nothing behind when it dies), says hello on its outgoing queue,
 * and reads its incoming one.
 */
final class HazelcastChildChannel {
    private HazelcastChildChannel() {
    }

    static MessageChannel connect(ChildEndpoint endpoint) throws IOException {
        byte[] key = endpoint.secret();
        if (key.length == 0) {
            throw new IOException("no key from the parent: this child must be started by a multiproc parent");
        }
        HazelcastDescriptor descriptor = HazelcastDescriptor.parse(endpoint.descriptor());
        HazelcastConfigs.silenceLogging();
        HazelcastInstance client;
        try {
            client = HazelcastClient.newHazelcastClient(HazelcastConfigs.client(descriptor.clusterName(),
                    descriptor.address()));
        } catch (RuntimeException e) {
            throw new IOException("cannot join the Hazelcast cluster " + descriptor.clusterName() + " at "
                    + descriptor.address() + ": " + e.getMessage(), e);
        }
        try {
            AtomicBoolean disconnected = new AtomicBoolean();
            client.getLifecycleService().addLifecycleListener(event -> {
                if (event.getState() == LifecycleEvent.LifecycleState.CLIENT_DISCONNECTED
                        || event.getState() == LifecycleEvent.LifecycleState.SHUTTING_DOWN) {
                    disconnected.set(true);
                }
            });
            String contextId = descriptor.contextId();
            String childId = endpoint.childId();
            IQueue<byte[]> down = client.getQueue(descriptor.queueName(childId, true));
            IQueue<byte[]> up = client.getQueue(descriptor.queueName(childId, false));
            byte[] upLabel = HazelcastFrame.label(contextId, childId, false);
            if (!up.offer(HazelcastFrame.encode(key, upLabel, HazelcastFrame.HELLO, 0, null), 10, TimeUnit.SECONDS)) {
                throw new IOException("the parent's queue " + up.getName() + " is full: cannot say hello");
            }
            HazelcastInstance joined = client;
            HazelcastQueueChannel channel = new HazelcastQueueChannel("the parent", endpoint.maxMessageSize(), down,
                    up, key, HazelcastFrame.label(contextId, childId, true), upLabel, 0, 1, disconnected::get, () -> {
                        HazelcastInstances.unregister(contextId, joined);
                        joined.shutdown();
                    });
            HazelcastInstances.register(contextId, joined, channel, HazelcastJoin.objectsKey(key));
            return channel;
        } catch (IOException | RuntimeException e) {
            client.shutdown();
            throw e instanceof IOException io ? io : new IOException("cannot reach the parent's queues: " + e, e);
        } catch (InterruptedException e) {
            client.shutdown();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted saying hello to the parent", e);
        }
    }
}
