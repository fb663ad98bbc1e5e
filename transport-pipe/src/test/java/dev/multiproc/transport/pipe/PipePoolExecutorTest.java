package dev.multiproc.transport.pipe;

import dev.multiproc.tck.PoolExecutorContract;

/** The tck's PoolExecutorContract on the pipe transport. */
class PipePoolExecutorTest extends PoolExecutorContract {
    @Override
    protected String transportName() {
        return "pipe";
    }
}
