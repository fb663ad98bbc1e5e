package dev.multiproc.transport.shm;

import dev.multiproc.tck.ConnectionWaitContract;

/** The tck's ConnectionWaitContract on the shm transport. */
class ShmConnectionWaitTest extends ConnectionWaitContract {
    @Override
    protected String transportName() {
        return "shm";
    }
}
