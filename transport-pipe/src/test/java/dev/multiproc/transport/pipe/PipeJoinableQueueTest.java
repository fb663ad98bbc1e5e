package dev.multiproc.transport.pipe;

import dev.multiproc.tck.JoinableQueueContract;

/** The tck's JoinableQueueContract on the pipe transport. */
class PipeJoinableQueueTest extends JoinableQueueContract {
    @Override
    protected String transportName() {
        return "pipe";
    }
}
