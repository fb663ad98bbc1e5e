package dev.multiproc.transport.shm;

import dev.multiproc.tck.PoolExecutorContract;

/** The tck's PoolExecutorContract on the shm transport. */
class ShmPoolExecutorTest extends PoolExecutorContract {
    @Override
    protected String transportName() {
        return "shm";
    }
}
