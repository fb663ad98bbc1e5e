package dev.multiproc.transport.hazelcast;

import dev.multiproc.tck.ConnectionWaitContract;

/** The tck's ConnectionWaitContract on the Hazelcast transport. */
class HazelcastConnectionWaitTest extends ConnectionWaitContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }
}
