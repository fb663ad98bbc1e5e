package dev.multiproc.transport.socket;

import dev.multiproc.tck.ResourceContract;

/** The tck's ResourceContract on the socket transport. */
class SocketResourceTest extends ResourceContract {
    @Override
    protected String transportName() {
        return "socket";
    }
}
