package dev.multiproc.transport.socket;

import dev.multiproc.tck.RetryContract;

/** The tck's RetryContract on the socket transport. */
class SocketRetryTest extends RetryContract {
    @Override
    protected String transportName() {
        return "socket";
    }
}
