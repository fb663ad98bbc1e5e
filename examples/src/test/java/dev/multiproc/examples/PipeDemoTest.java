package dev.multiproc.examples;

import dev.multiproc.tck.DemoContract;

/** Both seed demos, unchanged, on the pipe transport. */
class PipeDemoTest extends DemoContract {
    @Override
    protected String transportName() {
        return "pipe";
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
