package dev.multiproc.transport.socket;

import dev.multiproc.tck.SharedValueContract;

/** The tck's SharedValueContract on the socket transport. */
class SocketSharedValueTest extends SharedValueContract {
    @Override
    protected String transportName() {
        return "socket";
    }
}
