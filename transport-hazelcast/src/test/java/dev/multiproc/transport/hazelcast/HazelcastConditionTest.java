package dev.multiproc.transport.hazelcast;

import dev.multiproc.tck.ConditionContract;

/** The tck's ConditionContract on the Hazelcast transport. */
class HazelcastConditionTest extends ConditionContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }
}
