package dev.multiproc.transport.hazelcast;

import dev.multiproc.tck.QueueContract;

/** The tck's QueueContract on the Hazelcast transport. */
class HazelcastQueueTest extends QueueContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }
}
