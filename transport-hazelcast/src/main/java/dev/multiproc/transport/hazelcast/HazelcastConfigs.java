package dev.multiproc.transport.hazelcast;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConnectionStrategyConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.QueueConfig;
import com.hazelcast.config.SerializationConfig;
import java.util.Arrays;

/**
 * The Hazelcast configurations of the parent's member and of a child's client: loopback by default, multicast and
 * auto-detection off, no phone-home, no logging, and no Java deserialization of anything (only {@code byte[]}
 * crosses, which Hazelcast carries with its own byte-array serializer).
 */
final class HazelcastConfigs {
    /** Hazelcast's logging property: read once, from the system properties, before any configuration. */
    private static final String LOGGING_TYPE = "hazelcast.logging.type";

    private HazelcastConfigs() {
    }

    /**
     * Hazelcast logs at INFO by default (a banner, membership, partitions, a warning about module access) and reads
     * its logger type from a system property only, before any {@link Config}: set it to {@code none} unless the user
     * chose one, so that a quiet run prints nothing but the user's output.
     */
    static void silenceLogging() {
        if (System.getProperty(LOGGING_TYPE) == null) {
            System.setProperty(LOGGING_TYPE, "none");
        }
    }

    static Config member(String clusterName, String instanceName, String bind, int port, String members,
            int queueCapacity) {
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setInstanceName(instanceName);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        // a lone member need not wait for others to answer before it serves (the default waits seconds)
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.max.join.seconds", "5");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(true).setPortCount(100);
        network.getInterfaces().setEnabled(true).addInterface(bind);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true);
        Arrays.stream(members.split(",")).map(String::trim).filter(m -> !m.isEmpty())
                .forEach(m -> join.getTcpIpConfig().addMember(m));
        config.addQueueConfig(new QueueConfig("multiproc.*").setMaxSize(queueCapacity).setStatisticsEnabled(false));
        lockDown(config.getSerializationConfig());
        return config;
    }

    static ClientConfig client(String clusterName, String address) {
        return client(clusterName, java.util.List.of(address), 10_000);
    }

    /**
     * @param addresses members to try, {@code HOST[:PORT]}
     * @param connectTimeoutMillis how long to keep trying to reach the cluster
     */
    static ClientConfig client(String clusterName, java.util.List<String> addresses, long connectTimeoutMillis) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.client.statistics.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        addresses.forEach(config.getNetworkConfig()::addAddress);
        // The parent's member going away ends the child: no reconnecting to somebody else.
        ClientConnectionStrategyConfig strategy = config.getConnectionStrategyConfig();
        strategy.setReconnectMode(ClientConnectionStrategyConfig.ReconnectMode.OFF);
        strategy.getConnectionRetryConfig().setClusterConnectTimeoutMillis(connectTimeoutMillis);
        lockDown(config.getSerializationConfig());
        return config;
    }

    /**
     * Refuses every class in Java deserialization: multiproc puts only {@code byte[]} in the cluster, so an element
     * that needs Java deserialization came from someone else, and deserializing it could run their code.
     */
    private static void lockDown(SerializationConfig serialization) {
        JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig().setDefaultsDisabled(true);
        filter.getBlacklist().addPrefixes("");
        serialization.setJavaSerializationFilterConfig(filter);
    }
}
