package dev.multiproc.transport.pipe.broken;

import dev.multiproc.tck.PoolContract;

/** The PoolContract on a transport that loses a frame; run by {@link TckCatchesBrokenTransportsTest} only. */
public class DroppingTransportPoolRun extends PoolContract {
    @Override
    protected String transportName() {
        return "broken-drops-result";
    }
}
