package dev.multiproc.transport.pipe;

import dev.multiproc.tck.MessageSizeContract;

/** The tck's MessageSizeContract on the pipe transport. */
class PipeMessageSizeTest extends MessageSizeContract {
    @Override
    protected String transportName() {
        return "pipe";
    }
}
