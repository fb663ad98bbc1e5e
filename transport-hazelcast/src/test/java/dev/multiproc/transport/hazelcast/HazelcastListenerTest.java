package dev.multiproc.transport.hazelcast;

import dev.multiproc.tck.ListenerContract;

/** The tck's ListenerContract on the Hazelcast transport. */
class HazelcastListenerTest extends ListenerContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }
}
