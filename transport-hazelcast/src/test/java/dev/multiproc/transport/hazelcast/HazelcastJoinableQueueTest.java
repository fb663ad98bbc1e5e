package dev.multiproc.transport.hazelcast;

import dev.multiproc.tck.JoinableQueueContract;

/** The tck's JoinableQueueContract on the Hazelcast transport. */
class HazelcastJoinableQueueTest extends JoinableQueueContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }
}
