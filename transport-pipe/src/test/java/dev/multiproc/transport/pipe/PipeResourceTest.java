package dev.multiproc.transport.pipe;

import dev.multiproc.tck.ResourceContract;

/** The tck's ResourceContract on the pipe transport. */
class PipeResourceTest extends ResourceContract {
    @Override
    protected String transportName() {
        return "pipe";
    }
}
