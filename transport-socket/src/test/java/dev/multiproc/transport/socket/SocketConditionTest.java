package dev.multiproc.transport.socket;

import dev.multiproc.tck.ConditionContract;

/** The tck's ConditionContract on the socket transport. */
class SocketConditionTest extends ConditionContract {
    @Override
    protected String transportName() {
        return "socket";
    }
}
