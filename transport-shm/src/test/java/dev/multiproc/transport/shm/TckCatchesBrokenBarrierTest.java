package dev.multiproc.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.multiproc.tck.TckTimeouts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The tck is itself tested: a barrier without generations, which the quick succession of trips of a native barrier
 * exposes, must fail the BarrierContract's test of trips in quick succession, and the real shm barrier pass it.
 */
class TckCatchesBrokenBarrierTest {
    private static final String TEST = "tripsInQuickSuccessionStayApart";

    @Test
    void barrierContractFailsOnABarrierWithoutGenerations() {
        List<Throwable> failures = new ArrayList<>();
        System.setProperty(TckTimeouts.UNSCALED, "true"); // it fails by a deadline: no need to wait the factor's
        try {
            EngineTestKit.engine("junit-jupiter")
                    .selectors(selectMethod(GenerationlessBarrierRun.class, TEST))
                    .execute().testEvents().failed().stream()
                    .forEach(event -> event.getPayload(TestExecutionResult.class)
                            .flatMap(TestExecutionResult::getThrowable).ifPresent(failures::add));
        } finally {
            System.clearProperty(TckTimeouts.UNSCALED);
        }
        assertEquals(1, failures.size(), "the generationless barrier passed " + TEST);
        String why = String.valueOf(failures.get(0).getMessage());
        assertTrue(why.contains("child failed") && why.contains("never saw the release"), why);
    }

    @Test
    void theSameTestPassesOnTheRealTransport() {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(ShmBarrierTest.class, TEST))
                .execute().testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
    }
}
