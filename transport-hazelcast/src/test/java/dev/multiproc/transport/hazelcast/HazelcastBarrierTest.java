package dev.multiproc.transport.hazelcast;

import dev.multiproc.tck.BarrierContract;

/** The tck's BarrierContract on the Hazelcast transport. */
class HazelcastBarrierTest extends BarrierContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }
}
