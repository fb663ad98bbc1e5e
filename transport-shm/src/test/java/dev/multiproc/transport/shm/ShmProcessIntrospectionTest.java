package dev.multiproc.transport.shm;

import dev.multiproc.tck.ProcessIntrospectionContract;

/** The tck's ProcessIntrospectionContract on the shm transport. */
class ShmProcessIntrospectionTest extends ProcessIntrospectionContract {
    @Override
    protected String transportName() {
        return "shm";
    }
}
