package dev.multiproc.transport.shm;

import dev.multiproc.tck.TimeoutContract;

/** The tck's TimeoutContract on the shm transport. */
class ShmTimeoutTest extends TimeoutContract {
    @Override
    protected String transportName() {
        return "shm";
    }
}
