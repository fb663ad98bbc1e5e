package dev.multiproc.transport.hazelcast;

import dev.multiproc.tck.SharedBufferContract;

/** The tck's SharedBufferContract on the Hazelcast transport. */
class HazelcastSharedBufferTest extends SharedBufferContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }
}
