package dev.multiproc.transport.pipe;

import dev.multiproc.tck.LockContract;

/** The tck's LockContract on the pipe transport. */
class PipeLockTest extends LockContract {
    @Override
    protected String transportName() {
        return "pipe";
    }
}
