package dev.multiproc.transport.socket;

import dev.multiproc.tck.CancellationContract;

/** The tck's CancellationContract on the socket transport. */
class SocketCancellationTest extends CancellationContract {
    @Override
    protected String transportName() {
        return "socket";
    }
}
