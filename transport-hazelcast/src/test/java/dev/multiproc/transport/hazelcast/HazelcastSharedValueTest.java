package dev.multiproc.transport.hazelcast;

import dev.multiproc.tck.SharedValueContract;

/** The tck's SharedValueContract on the Hazelcast transport. */
class HazelcastSharedValueTest extends SharedValueContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }
}
