package dev.multiproc.transport.shm;

import dev.multiproc.tck.ProgressContract;

/** The tck's ProgressContract on the shm transport. */
class ShmProgressTest extends ProgressContract {
    @Override
    protected String transportName() {
        return "shm";
    }
}
