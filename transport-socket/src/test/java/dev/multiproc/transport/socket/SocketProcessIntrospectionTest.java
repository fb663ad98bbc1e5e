package dev.multiproc.transport.socket;

import dev.multiproc.tck.ProcessIntrospectionContract;

/** The tck's ProcessIntrospectionContract on the socket transport. */
class SocketProcessIntrospectionTest extends ProcessIntrospectionContract {
    @Override
    protected String transportName() {
        return "socket";
    }
}
