package dev.multiproc.transport.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedLock;
import dev.multiproc.SharedLong;
import dev.multiproc.spi.NativePrimitives;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shared objects that live in the cluster itself rather than in the parent's hub: numbers in an {@code IMap}
 * ({@link HazelcastCell}) and locks on {@code IMap.lock} ({@link HazelcastSharedLock}). A child reaches them with one
 * round trip to the member that owns the key, instead of two trips through its channel and the parent. Everything
 * else (semaphores, events, barriers, conditions, queues, pipes, values, buffers, maps and lists) stays on the hub,
 * with the hub's guarantees.
 */
final class HazelcastNativePrimitives implements NativePrimitives {
    private static final System.Logger LOG = System.getLogger("dev.multiproc.transport.hazelcast");

    private final String contextId;
    private final HazelcastInstance member;
    private final AtomicLong next = new AtomicLong();

    HazelcastNativePrimitives(String contextId, HazelcastInstance member) {
        this.contextId = contextId;
        this.member = member;
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
                HazelcastSharedLock.ownersName(contextId)}) {
            member.getMap(name).destroy();
        }
    }
}
