package dev.multiproc.transport.hazelcast;

import dev.multiproc.tck.RetryContract;

/** The tck's RetryContract on the Hazelcast transport. */
class HazelcastRetryTest extends RetryContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }
}
