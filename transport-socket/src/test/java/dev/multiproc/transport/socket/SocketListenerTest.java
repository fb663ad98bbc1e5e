package dev.multiproc.transport.socket;

import dev.multiproc.tck.ListenerContract;

/** The tck's ListenerContract on the socket transport. */
class SocketListenerTest extends ListenerContract {
    @Override
    protected String transportName() {
        return "socket";
    }
}
