package dev.multiproc.transport.shm;

import dev.multiproc.tck.ProcessContract;

/** The tck's ProcessContract on the shm transport. */
class ShmProcessTest extends ProcessContract {
    @Override
    protected String transportName() {
        return "shm";
    }
}
