package dev.multiproc.transport.shm;

import dev.multiproc.tck.FailureContract;

/** The tck's FailureContract on the shm transport. */
class ShmFailureTest extends FailureContract {
    @Override
    protected String transportName() {
        return "shm";
    }
}
