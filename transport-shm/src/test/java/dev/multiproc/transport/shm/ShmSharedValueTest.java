package dev.multiproc.transport.shm;

import dev.multiproc.tck.SharedValueContract;

/** The tck's SharedValueContract on the shm transport. */
class ShmSharedValueTest extends SharedValueContract {
    @Override
    protected String transportName() {
        return "shm";
    }
}
