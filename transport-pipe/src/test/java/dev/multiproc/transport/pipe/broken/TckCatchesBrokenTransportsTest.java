package dev.multiproc.transport.pipe.broken;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The tck is itself tested: run a contract against a deliberately broken transport and require it to fail. A
 * lost frame must be caught by a deadline, a garbled one by the crash rules.
 */
class TckCatchesBrokenTransportsTest {

    /** A transport that loses a task result fails the pool contract (by its deadline) instead of passing. */
    @Test
    void poolContractFailsOnATransportThatDropsAFrame() {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(DroppingTransportPoolRun.class, "mapAsyncCompletesWithOrderedResults"))
                .execute().testEvents().assertStatistics(stats -> stats.started(1).failed(1).succeeded(0));
    }

    /** A transport that garbles a task result fails the pool contract instead of passing. */
    @Test
    void poolContractFailsOnATransportThatCorruptsAFrame() {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(CorruptingTransportPoolRun.class, "mapReturnsResultsInInputOrder"))
                .execute().testEvents().assertStatistics(stats -> stats.started(1).failed(1).succeeded(0));
    }

    /** The same contracts pass on the real transport, so the failures above are the faults' doing. */
    @Test
    void theSameContractsPassOnTheRealTransport() {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod("dev.multiproc.transport.pipe.PipePoolTest#mapAsyncCompletesWithOrderedResults"),
                        selectMethod("dev.multiproc.transport.pipe.PipePoolTest#mapReturnsResultsInInputOrder"))
                .execute().testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
    }
}
