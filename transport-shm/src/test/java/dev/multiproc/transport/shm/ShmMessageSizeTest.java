package dev.multiproc.transport.shm;

import dev.multiproc.tck.MessageSizeContract;

/** The tck's MessageSizeContract on the shm transport. */
class ShmMessageSizeTest extends MessageSizeContract {
    @Override
    protected String transportName() {
        return "shm";
    }
}
