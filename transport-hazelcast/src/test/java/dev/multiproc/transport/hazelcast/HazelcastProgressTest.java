package dev.multiproc.transport.hazelcast;

import dev.multiproc.tck.ProgressContract;

/** The tck's ProgressContract on the Hazelcast transport. */
class HazelcastProgressTest extends ProgressContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }
}
