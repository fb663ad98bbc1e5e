package dev.multiproc.transport.socket;

import dev.multiproc.tck.MessageSizeContract;

/** The tck's MessageSizeContract on the socket transport. */
class SocketMessageSizeTest extends MessageSizeContract {
    @Override
    protected String transportName() {
        return "socket";
    }
}
