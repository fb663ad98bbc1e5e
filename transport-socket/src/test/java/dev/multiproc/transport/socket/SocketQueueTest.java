package dev.multiproc.transport.socket;

import dev.multiproc.tck.QueueContract;

/** The tck's QueueContract on the socket transport. */
class SocketQueueTest extends QueueContract {
    @Override
    protected String transportName() {
        return "socket";
    }
}
