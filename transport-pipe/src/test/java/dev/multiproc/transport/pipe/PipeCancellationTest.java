package dev.multiproc.transport.pipe;

import dev.multiproc.tck.CancellationContract;

/** The tck's CancellationContract on the pipe transport. */
class PipeCancellationTest extends CancellationContract {
    @Override
    protected String transportName() {
        return "pipe";
    }
}
