package dev.multiproc.transport.pipe.broken;

import dev.multiproc.tck.BarrierContract;

/**
 * The BarrierContract on a transport that loses each child's first release from a barrier; run by
 * {@link TckCatchesBrokenTransportsTest} only.
 */
public class BarrierWakeUpLostRun extends BarrierContract {
    @Override
    protected String transportName() {
        return "broken-drops-barrier-wake-up";
    }
}
