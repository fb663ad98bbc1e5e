package dev.multiproc.transport.socket;

import dev.multiproc.tck.support.NetworkNamespace;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The remote-worker scenarios across two hosts built from Linux network namespaces: the test creates a namespace
 * and a veth pair ({@link NetworkNamespace}), runs the parent on this side's address and each remote worker with
 * {@code ip netns exec} in the namespace, and removes both in {@link #removeNamespace()}. It talks only to the two
 * addresses it created.
 *
 * <p>Skipped, with the reason, where namespaces cannot be created (not root, no {@code ip}, no permission).
 */
class NetnsRemoteWorkerTest extends RemoteWorkerScenarios {
    private static NetworkNamespace namespace;

    @BeforeAll
    static void createNamespace() throws Exception {
        namespace = NetworkNamespace.create();
    }

    @AfterAll
    static void removeNamespace() {
        if (namespace != null) {
            namespace.close();
            namespace = null;
        }
    }

    @Override
    protected String bindAddress() {
        return namespace.hostAddress();
    }

    @Override
    protected List<String> remotePrefix() {
        return namespace.prefix();
    }

    @Override
    protected boolean remoteIsElsewhere() {
        return true;
    }
}
