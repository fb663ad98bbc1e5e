package dev.multiproc.transport.pipe.broken;

import dev.multiproc.tck.ProcessIntrospectionContract;

/**
 * The ProcessIntrospectionContract on a transport whose Start names the wrong parent; run by
 * {@link TckCatchesBrokenTransportsTest} only.
 */
public class WrongParentIntrospectionRun extends ProcessIntrospectionContract {
    @Override
    protected String transportName() {
        return "broken-wrong-parent";
    }
}
