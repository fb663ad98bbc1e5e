package dev.multiproc.transport.shm;

import dev.multiproc.tck.ConditionContract;

/** The tck's ConditionContract on the shm transport. */
class ShmConditionTest extends ConditionContract {
    @Override
    protected String transportName() {
        return "shm";
    }
}
