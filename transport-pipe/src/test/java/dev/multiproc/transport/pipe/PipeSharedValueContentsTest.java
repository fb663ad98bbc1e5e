package dev.multiproc.transport.pipe;

import dev.multiproc.tck.SharedValueContentsContract;

/** The tck's SharedValueContentsContract on the pipe transport. */
class PipeSharedValueContentsTest extends SharedValueContentsContract {
    @Override
    protected String transportName() {
        return "pipe";
    }
}
