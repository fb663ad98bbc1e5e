package dev.multiproc.transport.pipe.broken;

import dev.multiproc.tck.SharedValueContract;

/**
 * The SharedValueContract on a transport whose lock excludes nothing; run by {@link TckCatchesBrokenTransportsTest}
 * only.
 */
public class SharedValueLockDoesNothingRun extends SharedValueContract {
    @Override
    protected String transportName() {
        return "broken-lock-does-nothing";
    }
}
