package dev.multiproc.transport.shm;

import dev.multiproc.tck.LockContract;

/** The tck's LockContract on the shm transport. */
class ShmLockTest extends LockContract {
    @Override
    protected String transportName() {
        return "shm";
    }
}
