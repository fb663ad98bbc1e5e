package dev.multiproc.transport.socket;

import dev.multiproc.tck.JoinableQueueContract;

/** The tck's JoinableQueueContract on the socket transport. */
class SocketJoinableQueueTest extends JoinableQueueContract {
    @Override
    protected String transportName() {
        return "socket";
    }
}
