package dev.multiproc.transport.hazelcast;

import dev.multiproc.tck.ProcessIntrospectionContract;

/** The tck's ProcessIntrospectionContract on the Hazelcast transport. */
class HazelcastProcessIntrospectionTest extends ProcessIntrospectionContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }
}
