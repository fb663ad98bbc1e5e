package dev.multiproc.transport.shm;

import dev.multiproc.tck.CancellationContract;

/** The tck's CancellationContract on the shm transport. */
class ShmCancellationTest extends CancellationContract {
    @Override
    protected String transportName() {
        return "shm";
    }
}
