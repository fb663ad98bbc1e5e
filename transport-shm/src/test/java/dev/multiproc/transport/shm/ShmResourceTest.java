package dev.multiproc.transport.shm;

import dev.multiproc.tck.ResourceContract;

/** The tck's ResourceContract on the shm transport. */
class ShmResourceTest extends ResourceContract {
    @Override
    protected String transportName() {
        return "shm";
    }
}
