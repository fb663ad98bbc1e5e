package dev.multiproc.transport.hazelcast;

import dev.multiproc.tck.TimeoutContract;

/** The tck's TimeoutContract on the Hazelcast transport. */
class HazelcastTimeoutTest extends TimeoutContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }
}
