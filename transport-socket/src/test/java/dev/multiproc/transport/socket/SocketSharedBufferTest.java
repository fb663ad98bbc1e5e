package dev.multiproc.transport.socket;

import dev.multiproc.tck.SharedBufferContract;

/** The tck's SharedBufferContract on the socket transport: buffers live in the parent's hub. */
class SocketSharedBufferTest extends SharedBufferContract {
    @Override
    protected String transportName() {
        return "socket";
    }
}
