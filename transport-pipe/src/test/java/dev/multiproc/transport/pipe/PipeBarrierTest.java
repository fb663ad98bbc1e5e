package dev.multiproc.transport.pipe;

import dev.multiproc.tck.BarrierContract;

/** The tck's BarrierContract on the pipe transport. */
class PipeBarrierTest extends BarrierContract {
    @Override
    protected String transportName() {
        return "pipe";
    }
}
