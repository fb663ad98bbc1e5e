package dev.multiproc.transport.shm;

import dev.multiproc.tck.RetryContract;

/** The tck's RetryContract on the shm transport. */
class ShmRetryTest extends RetryContract {
    @Override
    protected String transportName() {
        return "shm";
    }
}
