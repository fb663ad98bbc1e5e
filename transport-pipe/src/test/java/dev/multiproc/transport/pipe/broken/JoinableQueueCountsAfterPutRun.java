package dev.multiproc.transport.pipe.broken;

import dev.multiproc.tck.JoinableQueueContract;

/**
 * The JoinableQueueContract on a transport whose joinable queues count an element only after a consumer can take it;
 * run by {@link TckCatchesBrokenTransportsTest} only.
 */
public class JoinableQueueCountsAfterPutRun extends JoinableQueueContract {
    @Override
    protected String transportName() {
        return "broken-jq-count-after-put";
    }
}
