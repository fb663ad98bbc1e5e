package dev.multiproc.transport.pipe.broken;

import dev.multiproc.tck.ProcessIntrospectionContract;

/**
 * The ProcessIntrospectionContract on a transport that loses the name in a child's Start; run by
 * {@link TckCatchesBrokenTransportsTest} only.
 */
public class NamelessIntrospectionRun extends ProcessIntrospectionContract {
    @Override
    protected String transportName() {
        return "broken-loses-name";
    }
}
