package dev.multiproc.examples;

import dev.multiproc.tck.DemoContract;

/** Both seed demos, unchanged, on the Hazelcast transport (an embedded member; children join as clients). */
class HazelcastDemoTest extends DemoContract {
    @Override
    protected String transportName() {
        return "hazelcast";
    }

    @Override
    protected Class<?> poolMapDemoMain() {
        return PoolMapDemo.class;
    }

    @Override
    protected Class<?> counterDemoMain() {
        return CounterDemo.class;
    }
}
