package dev.multiproc.transport.pipe;

import dev.multiproc.tck.SharedValueContract;

/** The tck's SharedValueContract on the pipe transport. */
class PipeSharedValueTest extends SharedValueContract {
    @Override
    protected String transportName() {
        return "pipe";
    }
}
