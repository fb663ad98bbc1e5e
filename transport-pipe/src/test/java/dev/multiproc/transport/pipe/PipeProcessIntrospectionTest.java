package dev.multiproc.transport.pipe;

import dev.multiproc.tck.ProcessIntrospectionContract;

/** The tck's ProcessIntrospectionContract on the pipe transport. */
class PipeProcessIntrospectionTest extends ProcessIntrospectionContract {
    @Override
    protected String transportName() {
        return "pipe";
    }
}
