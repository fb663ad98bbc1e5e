package dev.multiproc.transport.hazelcast;

import dev.multiproc.tck.MessageSizeContract;

/** The tck's MessageSizeContract on the Hazelcast transport. */
class HazelcastMessageSizeTest extends MessageSizeContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }
}
