package dev.multiproc.transport.hazelcast;

import dev.multiproc.ContextOption;
import dev.multiproc.spi.ChildEndpoint;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.ParentTransport;
import dev.multiproc.spi.Transport;
import dev.multiproc.spi.TransportConfig;
import java.io.IOException;

/**
 * The {@code hazelcast} transport. By default the parent starts an embedded Hazelcast member on {@code 127.0.0.1}
 * in a cluster of its own (named after the context); children join it as Hazelcast clients. Each setting is a
 * {@link ContextOption}: set it per context ({@code Context.Builder.option}) or by its system property.
 *
 * <p>Its priority is the lowest of the bundled transports: it is used when named
 * ({@code -Dmultiproc.transport=hazelcast}) or when it is the only transport on the class path.
 */
public final class HazelcastTransport implements Transport {
    /**
     * The cluster's name; default {@code multiproc-<context id>}, a cluster of this context alone, or
     * {@value #SHARED_CLUSTER_NAME} when {@link #AUTHKEY_FILE} is set (remote workers must find it).
     */
    public static final ContextOption<String> CLUSTER_NAME = ContextOption.ofString("multiproc.hazelcast.clusterName",
            null);
    /**
     * Other members to join, comma-separated {@code HOST[:PORT]} (TCP-IP join; multicast is always off); default
     * none: the parent's member is alone.
     */
    public static final ContextOption<String> MEMBERS = ContextOption.ofString("multiproc.hazelcast.members", "");
    /** The interface the parent's member binds to; default {@code 127.0.0.1}. */
    public static final ContextOption<String> BIND_ADDRESS = ContextOption.ofString("multiproc.hazelcast.bind",
            "127.0.0.1");
    /** The first port the parent's member tries (it counts up from there while ports are taken); default 5701. */
    public static final ContextOption<Integer> PORT = ContextOption.ofInt("multiproc.hazelcast.port", 5701, 1, 65535);
    /**
     * How many messages may wait in one direction of one channel before a sender blocks (back-pressure); default
     * 1024.
     */
    public static final ContextOption<Integer> QUEUE_CAPACITY = ContextOption.ofInt(
            "multiproc.hazelcast.queueCapacity", 1024, 1, 1 << 20);

    /**
     * A file holding the key that remote workers ({@link HazelcastWorker}) share with this parent; default none (no
     * remote workers). The parent creates it, readable by its owner only, with a random key if it does not exist.
     */
    public static final ContextOption<String> AUTHKEY_FILE = ContextOption.ofString(
            "multiproc.hazelcast.authkeyFile", "");
    /** The cluster name of a parent that takes remote workers, unless {@link #CLUSTER_NAME} names another. */
    public static final String SHARED_CLUSTER_NAME = "multiproc";

    /** Public for {@link java.util.ServiceLoader}. */
    public HazelcastTransport() {
    }

    @Override
    public String name() {
        return "hazelcast";
    }

    @Override
    public int priority() {
        return 1;
    }

    @Override
    public ParentTransport open(TransportConfig config) throws IOException {
        return HazelcastParentTransport.open(config);
    }

    @Override
    public MessageChannel connect(ChildEndpoint endpoint) throws IOException {
        return HazelcastChildChannel.connect(endpoint);
    }
}
