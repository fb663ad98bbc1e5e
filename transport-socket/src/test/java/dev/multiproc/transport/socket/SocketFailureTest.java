package dev.multiproc.transport.socket;

import dev.multiproc.tck.FailureContract;

/** The tck's FailureContract on the socket transport. */
class SocketFailureTest extends FailureContract {
    @Override
    protected String transportName() {
        return "socket";
    }
}
