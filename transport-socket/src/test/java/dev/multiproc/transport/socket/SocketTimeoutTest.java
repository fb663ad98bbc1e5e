package dev.multiproc.transport.socket;

import dev.multiproc.tck.TimeoutContract;

/** The tck's TimeoutContract on the socket transport. */
class SocketTimeoutTest extends TimeoutContract {
    @Override
    protected String transportName() {
        return "socket";
    }
}
