package dev.multiproc.transport.hazelcast;

import dev.multiproc.tck.LockContract;

/** The tck's LockContract on the Hazelcast transport. */
class HazelcastLockTest extends LockContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }
}
