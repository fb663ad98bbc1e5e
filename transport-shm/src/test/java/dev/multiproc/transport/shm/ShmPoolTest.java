package dev.multiproc.transport.shm;

import dev.multiproc.tck.PoolContract;

/** The tck's PoolContract on the shm transport. */
class ShmPoolTest extends PoolContract {
    @Override
    protected String transportName() {
        return "shm";
    }
}
