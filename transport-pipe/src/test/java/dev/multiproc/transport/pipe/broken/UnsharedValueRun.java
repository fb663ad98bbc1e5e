package dev.multiproc.transport.pipe.broken;

import dev.multiproc.tck.SharedValueContentsContract;

/**
 * The SharedValueContentsContract on a transport whose "shared" values are private to each process; run by
 * {@link TckCatchesBrokenTransportsTest} only.
 */
public class UnsharedValueRun extends SharedValueContentsContract {
    @Override
    protected String transportName() {
        return "broken-value-unshared";
    }
}
