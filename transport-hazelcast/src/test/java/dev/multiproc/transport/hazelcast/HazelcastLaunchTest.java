package dev.multiproc.transport.hazelcast;

import dev.multiproc.tck.LaunchContract;

/** The tck's LaunchContract on the Hazelcast transport. */
class HazelcastLaunchTest extends LaunchContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }
}
