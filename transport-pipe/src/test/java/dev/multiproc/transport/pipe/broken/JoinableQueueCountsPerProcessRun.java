package dev.multiproc.transport.pipe.broken;

import dev.multiproc.tck.JoinableQueueContract;

/**
 * The JoinableQueueContract on a transport whose joinable queues count unfinished elements in each process apart;
 * run by {@link TckCatchesBrokenTransportsTest} only.
 */
public class JoinableQueueCountsPerProcessRun extends JoinableQueueContract {
    @Override
    protected String transportName() {
        return "broken-jq-per-process";
    }
}
