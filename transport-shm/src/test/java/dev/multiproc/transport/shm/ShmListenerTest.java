package dev.multiproc.transport.shm;

import dev.multiproc.tck.ListenerContract;

/** The tck's ListenerContract on the shm transport. */
class ShmListenerTest extends ListenerContract {
    @Override
    protected String transportName() {
        return "shm";
    }
}
