package dev.multiproc.transport.pipe;

import dev.multiproc.tck.PipeContract;

/** The tck's PipeContract on the pipe transport. */
class PipePipeTest extends PipeContract {
    @Override
    protected String transportName() {
        return "pipe";
    }
}
