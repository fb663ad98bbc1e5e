package dev.multiproc.transport.hazelcast;

import dev.multiproc.tck.PipeContract;

/** The tck's PipeContract on the Hazelcast transport. */
class HazelcastPipeTest extends PipeContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }
}
