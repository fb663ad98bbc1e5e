package dev.multiproc.transport.pipe;

import dev.multiproc.tck.QueueContract;

/** The tck's QueueContract on the pipe transport. */
class PipeQueueTest extends QueueContract {
    @Override
    protected String transportName() {
        return "pipe";
    }
}
