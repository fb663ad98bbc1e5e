package dev.multiproc.transport.hazelcast;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;

/**
 * A shared number in an {@code IMap} entry of its context, the common part of {@link HazelcastSharedLong} and
 * {@link HazelcastSharedInt}. The entry holds {@code long[] {value, tag, tag}}: every write carries a fresh random
 * 128-bit tag, and every read-modify-write is a compare-and-set of the whole entry ({@code IMap.replace(key, old,
 * new)}, atomic on the partition's owner, with Hazelcast's synchronous backup). When a call's outcome is unknown (the
 * member answering it died, the connection broke) the entry is read back: finding our own tag means our write took
 * effect, so an increment is applied exactly once, never twice on a retry and never lost.
 *
 * <p>A write from a child first waits until the parent has handled the messages the child sent it before
 * ({@link HazelcastInstances#syncWithParent}): the number and the hub's objects then change in the child's program
 * order for everyone, as they do on the other transports.
 *
 * <p>Serializable: it carries its context's id and its key, and finds this process's way into the cluster through
 * {@link HazelcastInstances}.
 */
abstract class HazelcastCell implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String contextId;
    private final String key;

    HazelcastCell(String contextId, String key, long initialValue) {
        this.contextId = contextId;
        this.key = key;
        call(() -> {
            map().set(key, tagged(initialValue));
            return null;
        });
    }

    /** @return the name of the map that holds a context's numbers */
    static String mapName(String contextId) {
        return "multiproc." + contextId + ".cells";
    }

    private IMap<String, long[]> map() {
        return HazelcastInstances.of(contextId, this).getMap(mapName(contextId));
    }

    private <T> T call(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (HazelcastInstanceNotActiveException e) {
            throw HazelcastInstances.closed(contextId, this, e);
        }
    }

    private long[] entry() {
        long[] entry = call(() -> map().get(key));
        if (entry == null) {
            throw HazelcastInstances.closed(contextId, this, null);
        }
        return entry;
    }

    private static long[] tagged(long value) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new long[] {value, random.nextLong(), random.nextLong()};
    }

    final long read() {
        return entry()[0];
    }

    final void write(long value) {
        HazelcastInstances.syncWithParent(contextId, this);
        call(() -> {
            map().set(key, tagged(value));
            return null;
        });
    }

    /** Replaces {@code expected} (a whole entry) by a freshly tagged {@code value}; exactly once. */
    private boolean replace(long[] expected, long value) {
        HazelcastInstances.syncWithParent(contextId, this);
        long[] update = tagged(value);
        return call(() -> replaceOnce(map(), key, expected, update));
    }

    /**
     * Replaces the entry {@code expected} by {@code update}, whose tag no other write carries, exactly once: when the
     * outcome is unknown (the member answering died, the connection broke), reads the entry back, and finding {@code
     * update} there means the replace took effect.
     *
     * @return true if the entry was {@code expected} and is now {@code update}
     * @throws HazelcastInstanceNotActiveException if this process's instance is shut down
     */
    static boolean replaceOnce(IMap<String, long[]> map, String key, long[] expected, long[] update) {
        try {
            return map.replace(key, expected, update);
        } catch (HazelcastInstanceNotActiveException e) {
            throw e;
        } catch (RuntimeException outcomeUnknown) {
            long[] now = map.get(key);
            if (Arrays.equals(now, update)) {
                return true;
            }
            return Arrays.equals(now, expected) && map.replace(key, expected, update);
        }
    }

    /** @return the value before {@code update} was applied to it, atomically */
    final long getAndUpdate(LongUnaryOperator update) {
        while (true) {
            long[] current = entry();
            if (replace(current, update.applyAsLong(current[0]))) {
                return current[0];
            }
        }
    }

    final boolean compareAndSetValue(long expected, long value) {
        while (true) {
            long[] current = entry();
            if (current[0] != expected) {
                return false;
            }
            if (replace(current, value)) {
                return true;
            }
        }
    }

    /** @return where the number lives, for {@code toString} */
    final String where() {
        return mapName(contextId) + "/" + key;
    }
}
