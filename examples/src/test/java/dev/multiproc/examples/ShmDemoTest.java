package dev.multiproc.examples;

import dev.multiproc.tck.DemoContract;

/** Both seed demos, unchanged, on the shm transport. */
class ShmDemoTest extends DemoContract {
    @Override
    protected String transportName() {
        return "shm";
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
