package dev.multiproc.transport.pipe.broken;

import dev.multiproc.tck.SharedBufferContract;

/**
 * The SharedBufferContract on a transport whose locks exclude nothing (so neither does a buffer's lock); run by
 * {@link TckCatchesBrokenTransportsTest} only.
 */
public class SharedBufferLockDoesNothingRun extends SharedBufferContract {
    @Override
    protected String transportName() {
        return "broken-lock-does-nothing";
    }
}
