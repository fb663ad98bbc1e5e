package dev.multiproc.transport.pipe;

import dev.multiproc.tck.RetryContract;

/** The tck's RetryContract on the pipe transport. */
class PipeRetryTest extends RetryContract {
    @Override
    protected String transportName() {
        return "pipe";
    }
}
