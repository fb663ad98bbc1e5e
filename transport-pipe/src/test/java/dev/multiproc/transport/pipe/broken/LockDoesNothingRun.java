package dev.multiproc.transport.pipe.broken;

import dev.multiproc.tck.LockContract;

/** The LockContract on a transport whose lock excludes nothing; run by {@link TckCatchesBrokenTransportsTest} only. */
public class LockDoesNothingRun extends LockContract {
    @Override
    protected String transportName() {
        return "broken-lock-does-nothing";
    }
}
