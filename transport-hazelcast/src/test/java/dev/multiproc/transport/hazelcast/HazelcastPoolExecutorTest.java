package dev.multiproc.transport.hazelcast;

import dev.multiproc.tck.PoolExecutorContract;

/** The tck's PoolExecutorContract on the Hazelcast transport. */
class HazelcastPoolExecutorTest extends PoolExecutorContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }
}
