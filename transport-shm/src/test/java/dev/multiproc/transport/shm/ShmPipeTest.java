package dev.multiproc.transport.shm;

import dev.multiproc.tck.PipeContract;

/** The tck's PipeContract on the shm transport. */
class ShmPipeTest extends PipeContract {
    @Override
    protected String transportName() {
        return "shm";
    }
}
