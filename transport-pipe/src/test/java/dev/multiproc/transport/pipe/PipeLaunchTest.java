package dev.multiproc.transport.pipe;

import dev.multiproc.tck.LaunchContract;

/** The tck's LaunchContract on the pipe transport. */
class PipeLaunchTest extends LaunchContract {
    @Override
    protected String transportName() {
        return "pipe";
    }
}
