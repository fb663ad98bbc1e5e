package dev.multiproc.transport.hazelcast;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The parent joins an existing cluster made of the official Hazelcast image ({@code hazelcast/hazelcast:5.7.0}, in
 * the host's network so that the two members reach each other on 127.0.0.1), and the count of increments whose entry
 * that member owns stays exact when the container is killed with SIGKILL mid-way: the scenario of
 * {@link HazelcastMemberCrashTest}, with the member a user would run.
 *
 * <p>Needs a Docker engine. Without one it is skipped, saying so: {@link HazelcastMemberCrashTest} (a second member
 * in a plain JVM) and {@link HazelcastNetnsClusterTest} (worker hosts in network namespaces) cover the same scenarios.
 */
class HazelcastContainerTest {
    private static final DockerImageName IMAGE = DockerImageName.parse("hazelcast/hazelcast:5.7.0");

    @BeforeEach
    void needsDocker() {
        assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "no Docker engine on this machine (a docker"
                + " client alone is not enough): the official-image tests need one. HazelcastMemberCrashTest and"
                + " HazelcastNetnsClusterTest cover the same scenarios with plain JVMs and network namespaces.");
    }

    @Test
    void incrementsSurviveTheDeathOfAnOfficialImageMemberTheParentJoined() throws Exception {
        String cluster = "mp-container-" + UUID.randomUUID();
        int port = HazelcastMemberCrashTest.freePort();
        try (GenericContainer<?> member = new GenericContainer<>(IMAGE)
                .withNetworkMode("host")
                .withEnv("HZ_CLUSTERNAME", cluster)
                .withEnv("HZ_NETWORK_PORT_PORT", Integer.toString(port))
                .withEnv("HZ_NETWORK_PORT_AUTOINCREMENT", "false")
                .withEnv("HZ_NETWORK_JOIN_MULTICAST_ENABLED", "false")
                .withEnv("HZ_NETWORK_JOIN_AUTODETECTION_ENABLED", "false")
                .withEnv("HZ_NETWORK_JOIN_TCPIP_ENABLED", "true")
                .withEnv("HZ_NETWORK_INTERFACES_ENABLED", "true")
                .withEnv("HZ_NETWORK_INTERFACES_INTERFACES", "127.0.0.1")
                .withEnv("HZ_PHONEHOME_ENABLED", "false")
                .waitingFor(Wait.forLogMessage(".*is STARTED.*\\n", 1))) {
            member.start();
            HazelcastMemberCrashTest.countWhileTheOtherMemberDies(cluster, port, () -> member.getDockerClient()
                    .killContainerCmd(member.getContainerId()).withSignal("KILL").exec());
        }
    }
}
