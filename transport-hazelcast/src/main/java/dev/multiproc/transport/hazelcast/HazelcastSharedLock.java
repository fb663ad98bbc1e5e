package dev.multiproc.transport.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import dev.multiproc.SharedLock;
import dev.multiproc.spi.LockWaits;
import java.io.Serial;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SharedLock} on the pessimistic lock of an {@code IMap} key ({@code IMap.lock}), which Hazelcast owns per
 * (member or client, thread) and releases when its owner's member leaves or its client disconnects: a process that
 * dies holding it (kill -9 included) frees it within milliseconds, and the next waiter gets it. Waiters are served in
 * arrival order by the key's partition owner.
 *
 * <p>Hazelcast's lock is reentrant; this one counts its holds in this process and holds Hazelcast's once, so that a
 * non-reentrant lock can refuse a second hold and a reentrant one re-enters without a round trip. Each holder writes
 * itself (client or member id, pid) into the context's owners map, asynchronously, so that the parent can warn which
 * process died holding which lock.
 */
final class HazelcastSharedLock implements SharedLock {
    @Serial
    private static final long serialVersionUID = 1L;
    /** How long one wait of lockInterruptibly lasts before it looks at the thread's interrupt. */
    private static final long SLICE_MILLIS = 50;
    /** This process's holds: "key thread-id" to count. */
    private static final Map<String, Integer> HOLDS = new ConcurrentHashMap<>();

    private final String contextId;
    private final String key;
    private final boolean reentrant;

    HazelcastSharedLock(String contextId, String key, boolean reentrant) {
        this.contextId = contextId;
        this.key = key;
        this.reentrant = reentrant;
    }

    static String mapName(String contextId) {
        return "multiproc." + contextId + ".locks";
    }

    static String ownersName(String contextId) {
        return "multiproc." + contextId + ".lockOwners";
    }

    private HazelcastInstance instance() {
        return HazelcastInstances.of(contextId, this);
    }

    private IMap<String, Boolean> locks() {
        return instance().getMap(mapName(contextId));
    }

    private String holdsKey() {
        return key + " " + Thread.currentThread().getId();
    }

    @Override
    public void lock() {
        if (reenter(true)) {
            return;
        }
        try {
            if (locks().tryLock(key)) {
                held();
                return;
            }
            Object wait = LockWaits.begin();
            boolean acquired = false;
            try {
                locks().lock(key);
                acquired = true;
            } finally {
                LockWaits.end(wait, toString(), acquired, LockWaits.NO_TIMEOUT);
            }
            held();
        } catch (HazelcastInstanceNotActiveException e) {
            throw HazelcastInstances.closed(contextId, this, e);
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (!acquire(Long.MAX_VALUE, LockWaits.NO_TIMEOUT)) {
            throw new AssertionError("a wait without a deadline ended without the lock");
        }
    }

    @Override
    public boolean tryLock() {
        if (holds() > 0) {
            return reentrant && reenter(false);
        }
        try {
            if (locks().tryLock(key)) {
                held();
                return true;
            }
            return false;
        } catch (HazelcastInstanceNotActiveException e) {
            throw HazelcastInstances.closed(contextId, this, e);
        }
    }

    @Override
    public boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = Math.max(0, unit.toNanos(timeout));
        return acquire(System.nanoTime() + nanos, nanos);
    }

    /** Waits in slices, so that an interrupt is seen; the wait is recorded as a JFR {@code LockWait}. */
    private boolean acquire(long deadline, long timeoutNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before waiting for " + this);
        }
        if (holds() > 0) {
            return reenter(timeoutNanos == LockWaits.NO_TIMEOUT);
        }
        try {
            IMap<String, Boolean> locks = locks();
            if (locks.tryLock(key)) {
                held();
                return true;
            }
            Object wait = LockWaits.begin();
            boolean acquired = false;
            try {
                while (!acquired) {
                    long left = deadline == Long.MAX_VALUE ? TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS)
                            : Math.min(deadline - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS));
                    if (left <= 0) {
                        return false;
                    }
                    acquired = locks.tryLock(key, left, TimeUnit.NANOSECONDS);
                    if (!acquired && Thread.interrupted()) {
                        throw new InterruptedException("interrupted while waiting for " + this);
                    }
                }
                held();
                return true;
            } finally {
                LockWaits.end(wait, toString(), acquired, timeoutNanos);
            }
        } catch (HazelcastInstanceNotActiveException e) {
            throw HazelcastInstances.closed(contextId, this, e);
        }
    }

    /**
     * Counts another hold of this thread's, if it holds the lock.
     *
     * @param forever whether the caller would wait without end: then a second hold of a non-reentrant lock throws
     *        (it would deadlock)
     * @return true if this thread held the lock and now holds it once more
     */
    private boolean reenter(boolean forever) {
        int holds = holds();
        if (holds == 0) {
            return false;
        }
        if (!reentrant) {
            if (forever) {
                throw new IllegalStateException("this thread already holds this non-reentrant lock; taking it again"
                        + " would deadlock (use Context.reentrantLock() for a reentrant one)");
            }
            return false;
        }
        HOLDS.put(holdsKey(), holds + 1);
        return true;
    }

    private void held() {
        HOLDS.put(holdsKey(), 1);
        HazelcastInstance instance = instance();
        String owner = instance.getLocalEndpoint().getUuid() + " " + ProcessHandle.current().pid();
        instance.<String, String>getMap(ownersName(contextId)).setAsync(key, owner);
    }

    private int holds() {
        return HOLDS.getOrDefault(holdsKey(), 0);
    }

    @Override
    public void unlock() {
        int holds = holds();
        if (holds == 0) {
            throw new IllegalMonitorStateException("the calling thread does not hold " + this);
        }
        if (holds > 1) {
            HOLDS.put(holdsKey(), holds - 1);
            return;
        }
        HOLDS.remove(holdsKey());
        // what this thread did to the hub's objects while it held the lock is done before the next holder enters
        HazelcastInstances.syncWithParent(contextId, this);
        try {
            HazelcastInstance instance = instance();
            instance.getMap(ownersName(contextId)).deleteAsync(key);
            locks().unlock(key);
        } catch (HazelcastInstanceNotActiveException e) {
            throw HazelcastInstances.closed(contextId, this, e);
        }
    }

    @Override
    public boolean isLocked() {
        try {
            return locks().isLocked(key);
        } catch (HazelcastInstanceNotActiveException e) {
            throw HazelcastInstances.closed(contextId, this, e);
        }
    }

    @Override
    public boolean isReentrant() {
        return reentrant;
    }

    @Override
    public int getHoldCount() {
        instance(); // a closed context's lock says so
        return holds();
    }

    @Override
    public String toString() {
        return (reentrant ? "reentrant " : "") + "SharedLock[" + mapName(contextId) + "/" + key + "]";
    }
}
