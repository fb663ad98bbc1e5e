package dev.multiproc.transport.hazelcast;

import dev.multiproc.tck.FailureContract;

/** The tck's FailureContract on the Hazelcast transport. */
class HazelcastFailureTest extends FailureContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }
}
