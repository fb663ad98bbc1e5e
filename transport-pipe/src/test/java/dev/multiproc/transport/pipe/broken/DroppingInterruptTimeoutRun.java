package dev.multiproc.transport.pipe.broken;

import dev.multiproc.tck.TimeoutContract;

/** The TimeoutContract on a transport that loses an Interrupt; run by {@link TckCatchesBrokenTransportsTest} only. */
public class DroppingInterruptTimeoutRun extends TimeoutContract {
    @Override
    protected String transportName() {
        return "broken-drops-interrupt";
    }
}
