package dev.multiproc.transport.hazelcast;

import dev.multiproc.tck.ProcessContract;

/** The tck's ProcessContract on the Hazelcast transport. */
class HazelcastProcessTest extends ProcessContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }
}
