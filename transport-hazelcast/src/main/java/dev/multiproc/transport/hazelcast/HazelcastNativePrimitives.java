package dev.multiproc.transport.hazelcast;

import com.hazelcast.config.QueueConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedLock;
import dev.multiproc.SharedLong;
import dev.multiproc.spi.NativeJoinableQueue;
import dev.multiproc.spi.NativePrimitives;
import dev.multiproc.spi.NativeQueue;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shared objects that live in the cluster itself rather than in the parent's hub: numbers in an {@code IMap}
 * ({@link HazelcastCell}) and locks on {@code IMap.lock} ({@link HazelcastSharedLock}). A child reaches them with one
 * round trip to the member that owns the key, instead of two trips through its channel and the parent; and queues on
 * the cluster's {@code IQueue} ({@link HazelcastQueue}, {@link HazelcastJoinableQueue}). Everything else (semaphores,
 * events, barriers, conditions, pipes, values, buffers, maps and lists) stays on the hub, with the hub's guarantees.
 */
final class HazelcastNativePrimitives implements NativePrimitives {
    private static final System.Logger LOG = System.getLogger("dev.multiproc.transport.hazelcast");

    private final String contextId;
    private final HazelcastInstance member;
    private final String partitionKey;
    private final int maxMessageSize;
    private final long queueBudgetBytes = Runtime.getRuntime().maxMemory() / 4;
    private final AtomicLong next = new AtomicLong();
    /** The names of the queues made so far, to destroy with the context. */
    private final Queue<String> queues = new ConcurrentLinkedQueue<>();

    /**
     * @param partitionKey a key whose partition the parent's member owns: the queues go there, as the channels do
     * @param maxMessageSize the largest element the transport carries
     */
    HazelcastNativePrimitives(String contextId, HazelcastInstance member, String partitionKey, int maxMessageSize) {
        this.contextId = contextId;
        this.member = member;
        this.partitionKey = partitionKey;
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    public Optional<SharedInt> sharedInt(int initialValue) {
        return Optional.of(new HazelcastSharedInt(contextId, "i" + next.incrementAndGet(), initialValue));
    }

    @Override
    public Optional<SharedLong> sharedLong(long initialValue) {
        return Optional.of(new HazelcastSharedLong(contextId, "l" + next.incrementAndGet(), initialValue));
    }

    @Override
    public Optional<SharedLock> lock(boolean reentrant) {
        return Optional.of(new HazelcastSharedLock(contextId, "k" + next.incrementAndGet(), reentrant));
    }

    @Override
    public Optional<NativeQueue> queue(int capacity) {
        String id = "q" + next.incrementAndGet();
        return Optional.of(new HazelcastQueue(contextId, id, queueName(id, capacity), queueBudgetBytes,
                maxMessageSize));
    }

    @Override
    public Optional<NativeJoinableQueue> joinableQueue() {
        String id = "j" + next.incrementAndGet();
        return Optional.of(new HazelcastJoinableQueue(contextId, id, queueName(id, Integer.MAX_VALUE),
                queueBudgetBytes, maxMessageSize));
    }

    /** @return the name of a new queue, configured on the cluster with its capacity if it has one */
    private String queueName(String id, int capacity) {
        // not "multiproc.*", the channels' pattern, which bounds them
        String baseName = "multiproc-queue." + contextId + "." + id;
        if (capacity != Integer.MAX_VALUE) {
            // dynamic configuration (by the name without its partition key, as Hazelcast looks it up): every member
            // learns it before this returns
            member.getConfig().addQueueConfig(new QueueConfig(baseName).setMaxSize(capacity));
        }
        String name = baseName + "@" + partitionKey;
        queues.add(name);
        return name;
    }

    /**
     * A client left the cluster: Hazelcast has released (or is releasing) the locks its threads held. Says which
     * process died holding which lock, as every transport's locks do.
     */
    void clientLeft(UUID client) {
        IMap<String, String> owners = member.getMap(HazelcastSharedLock.ownersName(contextId));
        String prefix = client + " ";
        for (Map.Entry<String, String> owner : owners.entrySet()) {
            if (owner.getValue().startsWith(prefix) && owners.remove(owner.getKey(), owner.getValue())) {
                LOG.log(System.Logger.Level.WARNING, "process " + owner.getValue().substring(prefix.length())
                        + " died holding SharedLock[" + HazelcastSharedLock.mapName(contextId) + "/" + owner.getKey()
                        + "]; the lock passes to the next waiter. What the dead process did inside its critical"
                        + " section may be half done.");
            }
        }
    }

    /** Drops this context's maps: they would outlive it in a cluster that outlives the parent's member. */
    void destroy() {
        for (String name : new String[] {HazelcastCell.mapName(contextId), HazelcastSharedLock.mapName(contextId),
                HazelcastSharedLock.ownersName(contextId), HazelcastQueue.mapName(contextId)}) {
            member.getMap(name).destroy();
        }
        for (String queue : queues) {
            member.getQueue(queue).destroy();
        }
    }
}
