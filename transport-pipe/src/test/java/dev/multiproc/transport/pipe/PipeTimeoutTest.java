package dev.multiproc.transport.pipe;

import dev.multiproc.tck.TimeoutContract;

/** The tck's TimeoutContract on the pipe transport. */
class PipeTimeoutTest extends TimeoutContract {
    @Override
    protected String transportName() {
        return "pipe";
    }
}
