package dev.multiproc.transport.shm;

import dev.multiproc.tck.JoinableQueueContract;

/** The tck's JoinableQueueContract on the shm transport. */
class ShmJoinableQueueTest extends JoinableQueueContract {
    @Override
    protected String transportName() {
        return "shm";
    }
}
