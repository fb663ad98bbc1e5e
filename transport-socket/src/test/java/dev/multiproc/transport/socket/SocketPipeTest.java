package dev.multiproc.transport.socket;

import dev.multiproc.tck.PipeContract;

/** The tck's PipeContract on the socket transport. */
class SocketPipeTest extends PipeContract {
    @Override
    protected String transportName() {
        return "socket";
    }
}
