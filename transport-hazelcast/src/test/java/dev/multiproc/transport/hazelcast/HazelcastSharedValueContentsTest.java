package dev.multiproc.transport.hazelcast;

import dev.multiproc.tck.SharedValueContentsContract;

/** The tck's SharedValueContentsContract on the Hazelcast transport. */
class HazelcastSharedValueContentsTest extends SharedValueContentsContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }
}
