package dev.multiproc.transport.socket;

import dev.multiproc.tck.ConnectionWaitContract;

/** The tck's ConnectionWaitContract on the socket transport. */
class SocketConnectionWaitTest extends ConnectionWaitContract {
    @Override
    protected String transportName() {
        return "socket";
    }
}
