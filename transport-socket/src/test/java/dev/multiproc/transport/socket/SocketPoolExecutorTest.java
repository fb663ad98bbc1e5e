package dev.multiproc.transport.socket;

import dev.multiproc.tck.PoolExecutorContract;

/** The tck's PoolExecutorContract on the socket transport. */
class SocketPoolExecutorTest extends PoolExecutorContract {
    @Override
    protected String transportName() {
        return "socket";
    }
}
