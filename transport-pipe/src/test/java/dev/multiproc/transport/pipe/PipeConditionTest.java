package dev.multiproc.transport.pipe;

import dev.multiproc.tck.ConditionContract;

/** The tck's ConditionContract on the pipe transport. */
class PipeConditionTest extends ConditionContract {
    @Override
    protected String transportName() {
        return "pipe";
    }
}
