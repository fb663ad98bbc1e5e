package dev.multiproc.transport.socket;

import dev.multiproc.tck.LaunchContract;

/** The tck's LaunchContract on the socket transport. */
class SocketLaunchTest extends LaunchContract {
    @Override
    protected String transportName() {
        return "socket";
    }
}
