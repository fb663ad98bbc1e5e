package dev.multiproc.transport.pipe;

import dev.multiproc.tck.FailureContract;

/** The tck's FailureContract on the pipe transport. */
class PipeFailureTest extends FailureContract {
    @Override
    protected String transportName() {
        return "pipe";
    }
}
