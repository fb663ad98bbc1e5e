package dev.multiproc.transport.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;

/**
 * A plain Hazelcast member in a JVM of its own, for tests of a parent that joins an existing cluster: configured as
 * the transport configures the parent's member (loopback, TCP-IP join, Java deserialization refused), on the port
 * and in the cluster it is given. Prints {@code READY} once it serves, then runs until killed.
 */
public final class OtherMemberMain {
    private OtherMemberMain() {
    }

    /**
     * @param args {@code CLUSTER PORT}
     * @throws InterruptedException never, in practice: it sleeps until killed
     */
    public static void main(String[] args) throws InterruptedException {
        HazelcastConfigs.silenceLogging();
        Config config = HazelcastConfigs.member(args[0], "other-member", "127.0.0.1", Integer.parseInt(args[1]), "",
                1024);
        config.getNetworkConfig().setPortAutoIncrement(false);
        Hazelcast.newHazelcastInstance(config);
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
