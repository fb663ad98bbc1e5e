package dev.multiproc.examples;

import dev.multiproc.tck.DemoContract;

/** Both seed demos, unchanged, on the socket transport. */
class SocketDemoTest extends DemoContract {
    @Override
    protected String transportName() {
        return "socket";
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
