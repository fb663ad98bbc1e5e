package dev.multiproc.transport.socket;

import dev.multiproc.tck.BarrierContract;

/** The tck's BarrierContract on the socket transport. */
class SocketBarrierTest extends BarrierContract {
    @Override
    protected String transportName() {
        return "socket";
    }
}
