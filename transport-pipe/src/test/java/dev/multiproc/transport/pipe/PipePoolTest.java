package dev.multiproc.transport.pipe;

import dev.multiproc.tck.PoolContract;

/** The tck's PoolContract on the pipe transport. */
class PipePoolTest extends PoolContract {
    @Override
    protected String transportName() {
        return "pipe";
    }
}
