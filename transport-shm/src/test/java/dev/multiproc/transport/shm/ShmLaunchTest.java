package dev.multiproc.transport.shm;

import dev.multiproc.tck.LaunchContract;

/** The tck's LaunchContract on the shm transport. */
class ShmLaunchTest extends LaunchContract {
    @Override
    protected String transportName() {
        return "shm";
    }
}
