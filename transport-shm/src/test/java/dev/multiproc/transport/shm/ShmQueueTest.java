package dev.multiproc.transport.shm;

import dev.multiproc.tck.QueueContract;

/** The tck's QueueContract on the shm transport. */
class ShmQueueTest extends QueueContract {
    @Override
    protected String transportName() {
        return "shm";
    }
}
