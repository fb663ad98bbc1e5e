package dev.multiproc.transport.socket;

import dev.multiproc.tck.SharedValueContentsContract;

/** The tck's SharedValueContentsContract on the socket transport. */
class SocketSharedValueContentsTest extends SharedValueContentsContract {
    @Override
    protected String transportName() {
        return "socket";
    }
}
