package dev.multiproc.transport.pipe;

import dev.multiproc.tck.ConnectionWaitContract;

/** The tck's ConnectionWaitContract on the pipe transport. */
class PipeConnectionWaitTest extends ConnectionWaitContract {
    @Override
    protected String transportName() {
        return "pipe";
    }
}
