package dev.multiproc.transport.hazelcast;

import dev.multiproc.tck.PoolContract;

/** The tck's PoolContract on the Hazelcast transport. */
class HazelcastPoolTest extends PoolContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }
}
