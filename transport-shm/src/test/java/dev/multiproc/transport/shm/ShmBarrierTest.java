package dev.multiproc.transport.shm;

import dev.multiproc.tck.BarrierContract;

/** The tck's BarrierContract on the shm transport. */
class ShmBarrierTest extends BarrierContract {
    @Override
    protected String transportName() {
        return "shm";
    }
}
