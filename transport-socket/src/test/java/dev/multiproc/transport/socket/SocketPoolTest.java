package dev.multiproc.transport.socket;

import dev.multiproc.tck.PoolContract;

/** The tck's PoolContract on the socket transport. */
class SocketPoolTest extends PoolContract {
    @Override
    protected String transportName() {
        return "socket";
    }
}
