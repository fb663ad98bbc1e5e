package dev.multiproc.transport.pipe;

import dev.multiproc.tck.ListenerContract;

/** The tck's ListenerContract on the pipe transport. */
class PipeListenerTest extends ListenerContract {
    @Override
    protected String transportName() {
        return "pipe";
    }
}
