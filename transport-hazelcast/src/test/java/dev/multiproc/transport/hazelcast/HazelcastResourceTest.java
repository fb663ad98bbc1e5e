package dev.multiproc.transport.hazelcast;

import dev.multiproc.tck.ResourceContract;

/** The tck's ResourceContract on the Hazelcast transport. */
class HazelcastResourceTest extends ResourceContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }
}
