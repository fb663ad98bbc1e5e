package dev.multiproc.transport.pipe.broken;

import dev.multiproc.tck.ConditionContract;

/**
 * The ConditionContract on a transport that loses each child's first wake-up from a condition; run by
 * {@link TckCatchesBrokenTransportsTest} only.
 */
public class ConditionWakeUpLostRun extends ConditionContract {
    @Override
    protected String transportName() {
        return "broken-drops-condition-wake-up";
    }
}
