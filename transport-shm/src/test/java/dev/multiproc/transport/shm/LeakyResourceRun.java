package dev.multiproc.transport.shm;

import dev.multiproc.tck.ResourceContract;

/** The ResourceContract on a transport that leaks its segments; run by {@link TckCatchesLeaksTest} only. */
public class LeakyResourceRun extends ResourceContract {
    @Override
    protected String transportName() {
        return "broken-leaks-segments";
    }
}
