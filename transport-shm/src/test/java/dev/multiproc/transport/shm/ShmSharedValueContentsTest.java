package dev.multiproc.transport.shm;

import dev.multiproc.tck.SharedValueContentsContract;

/** The tck's SharedValueContentsContract on the shm transport. */
class ShmSharedValueContentsTest extends SharedValueContentsContract {
    @Override
    protected String transportName() {
        return "shm";
    }
}
