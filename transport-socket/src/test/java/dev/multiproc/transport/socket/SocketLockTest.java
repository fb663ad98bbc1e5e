package dev.multiproc.transport.socket;

import dev.multiproc.tck.LockContract;

/** The tck's LockContract on the socket transport. */
class SocketLockTest extends LockContract {
    @Override
    protected String transportName() {
        return "socket";
    }
}
