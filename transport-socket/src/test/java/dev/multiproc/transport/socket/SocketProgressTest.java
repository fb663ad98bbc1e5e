package dev.multiproc.transport.socket;

import dev.multiproc.tck.ProgressContract;

/** The tck's ProgressContract on the socket transport. */
class SocketProgressTest extends ProgressContract {
    @Override
    protected String transportName() {
        return "socket";
    }
}
