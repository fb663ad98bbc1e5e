package dev.multiproc.transport.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This JVM's way into each context's cluster, for the shared objects that live there: the parent's member, or a
 * child's or remote worker's client, by context id. A shared object that travelled to another process finds its
 * instance here by the context id it carries.
 */
final class HazelcastInstances {
    private static final Map<String, HazelcastInstance> BY_CONTEXT = new ConcurrentHashMap<>();
    private static final Map<String, HazelcastQueueChannel> CHANNELS = new ConcurrentHashMap<>();
    private static final Map<String, byte[]> OBJECT_KEYS = new ConcurrentHashMap<>();

    private HazelcastInstances() {
    }

    /** The parent's member: its own writes to the hub take effect at once, so it never needs to sync. */
    static void register(String contextId, HazelcastInstance instance, byte[] objectsKey) {
        OBJECT_KEYS.put(contextId, objectsKey.clone());
        BY_CONTEXT.put(contextId, instance);
    }

    /**
     * A child's or remote worker's client, and its channel to the parent.
     *
     * @param objectsKey the key under which the context's shared objects in the cluster authenticate their elements
     *        ({@link HazelcastJoin#objectsKey})
     */
    static void register(String contextId, HazelcastInstance instance, HazelcastQueueChannel channel,
            byte[] objectsKey) {
        CHANNELS.put(contextId, channel);
        OBJECT_KEYS.put(contextId, objectsKey.clone());
        BY_CONTEXT.put(contextId, instance);
    }

    static void unregister(String contextId, HazelcastInstance instance) {
        if (BY_CONTEXT.remove(contextId, instance)) {
            CHANNELS.remove(contextId);
            OBJECT_KEYS.remove(contextId);
        }
    }

    /**
     * @return the key under which the context's shared objects in the cluster authenticate their elements
     * @throws IllegalStateException if the context is closed, or this process is not one of its
     */
    static byte[] objectsKey(String contextId, Object what) {
        byte[] key = OBJECT_KEYS.get(contextId);
        if (key == null) {
            throw closed(contextId, what, null);
        }
        return key;
    }

    /**
     * Before a write to a shared object in the cluster that other processes can see: waits until the parent has
     * handled every message this process sent it before ({@link HazelcastQueueChannel#sync()}). Nothing to do in the
     * parent.
     *
     * @throws IllegalStateException if the channel to the parent closed: the context is gone for this process
     */
    static void syncWithParent(String contextId, Object what) {
        HazelcastQueueChannel channel = CHANNELS.get(contextId);
        if (channel != null) {
            try {
                channel.sync();
            } catch (java.io.IOException e) {
                IllegalStateException closed = closed(contextId, what, null);
                closed.initCause(e);
                throw closed;
            }
        }
    }

    /**
     * @return the instance through which this process reaches the context's cluster
     * @throws IllegalStateException if the context is closed, or this process is not one of its
     */
    static HazelcastInstance of(String contextId, Object what) {
        HazelcastInstance instance = BY_CONTEXT.get(contextId);
        if (instance == null || !instance.getLifecycleService().isRunning()) {
            throw closed(contextId, what, null);
        }
        return instance;
    }

    /** @return the exception for a shared object whose context is gone */
    static IllegalStateException closed(String contextId, Object what, HazelcastInstanceNotActiveException cause) {
        IllegalStateException e = new IllegalStateException(what + " belongs to context " + contextId + ", which is"
                + " closed (or this process is not part of it)");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }
}
