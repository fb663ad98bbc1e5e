package dev.multiproc.transport.pipe.broken;

import dev.multiproc.tck.SharedValueContentsContract;

/**
 * The SharedValueContentsContract on a transport whose getAndSet is a get followed by a set; run by
 * {@link TckCatchesBrokenTransportsTest} only.
 */
public class SplitGetAndSetValueRun extends SharedValueContentsContract {
    @Override
    protected String transportName() {
        return "broken-value-split-get-and-set";
    }
}
