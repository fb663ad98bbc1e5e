package dev.multiproc.transport.pipe;

import dev.multiproc.tck.ProcessContract;

/** The tck's ProcessContract on the pipe transport. */
class PipeProcessTest extends ProcessContract {
    @Override
    protected String transportName() {
        return "pipe";
    }
}
