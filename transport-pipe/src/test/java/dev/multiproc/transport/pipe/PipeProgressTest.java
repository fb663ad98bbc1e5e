package dev.multiproc.transport.pipe;

import dev.multiproc.tck.ProgressContract;

/** The tck's ProgressContract on the pipe transport. */
class PipeProgressTest extends ProgressContract {
    @Override
    protected String transportName() {
        return "pipe";
    }
}
