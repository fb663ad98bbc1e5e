package dev.multiproc.transport.hazelcast;

import dev.multiproc.tck.CancellationContract;

/** The tck's CancellationContract on the Hazelcast transport. */
class HazelcastCancellationTest extends CancellationContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }
}
