package dev.multiproc.transport.pipe.broken;

import dev.multiproc.tck.LockContract;

/**
 * The LockContract on a transport whose semaphores and events are private to each process; run by
 * {@link TckCatchesBrokenTransportsTest} only.
 */
public class UnsharedSyncRun extends LockContract {
    @Override
    protected String transportName() {
        return "broken-sync-unshared";
    }
}
