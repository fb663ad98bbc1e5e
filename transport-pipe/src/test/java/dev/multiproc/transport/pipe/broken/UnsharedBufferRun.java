package dev.multiproc.transport.pipe.broken;

import dev.multiproc.tck.SharedBufferContract;

/**
 * The SharedBufferContract on a transport whose "shared" buffers are memory private to each process; run by
 * {@link TckCatchesBrokenTransportsTest} only.
 */
public class UnsharedBufferRun extends SharedBufferContract {
    @Override
    protected String transportName() {
        return "broken-buffer-unshared";
    }
}
