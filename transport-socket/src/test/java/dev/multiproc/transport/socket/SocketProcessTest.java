package dev.multiproc.transport.socket;

import dev.multiproc.tck.ProcessContract;

/** The tck's ProcessContract on the socket transport. */
class SocketProcessTest extends ProcessContract {
    @Override
    protected String transportName() {
        return "socket";
    }
}
