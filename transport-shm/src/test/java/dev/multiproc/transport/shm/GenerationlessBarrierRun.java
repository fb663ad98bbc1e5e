package dev.multiproc.transport.shm;

import dev.multiproc.tck.BarrierContract;

/** The BarrierContract on a barrier without generations; run by {@link TckCatchesBrokenBarrierTest} only. */
public class GenerationlessBarrierRun extends BarrierContract {
    @Override
    protected String transportName() {
        return "broken-generationless-barrier";
    }
}
