package dev.multiproc.transport.pipe.broken;

import dev.multiproc.tck.PoolContract;

/** The PoolContract on a transport that garbles a frame; run by {@link TckCatchesBrokenTransportsTest} only. */
public class CorruptingTransportPoolRun extends PoolContract {
    @Override
    protected String transportName() {
        return "broken-corrupts-result";
    }
}
