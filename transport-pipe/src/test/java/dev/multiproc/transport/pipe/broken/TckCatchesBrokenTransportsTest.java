package dev.multiproc.transport.pipe.broken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.opentest4j.AssertionFailedError;
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

    /**
     * A lock that excludes nothing fails the contention contracts (two of the LockContract, one of the
     * SharedValueContract), each for the reason it checks (a holder found another inside; an increment lost), not
     * by a deadline.
     */
    @Test
    void lockContractFailsOnALockThatExcludesNothing() {
        for (String test : List.of("LockDoesNothingRun#lockExcludesAcrossProcesses",
                "LockDoesNothingRun#sharedLockExcludesAcrossProcessesAsAJavaUtilConcurrentLock",
                "SharedValueLockDoesNothingRun#lockedIncrementsFromManyProcessesAreExact")) {
            List<Throwable> failures = new ArrayList<>();
            EngineTestKit.engine("junit-jupiter")
                    .selectors(selectMethod(LockDoesNothingRun.class.getPackageName() + "." + test)).execute()
                    .testEvents().failed().stream()
                    .forEach(event -> event.getPayload(TestExecutionResult.class)
                            .flatMap(TestExecutionResult::getThrowable).ifPresent(failures::add));
            assertEquals(1, failures.size(), test + " did not fail on a lock that does nothing");
            Throwable why = failures.get(0);
            assertInstanceOf(AssertionFailedError.class, why, test + " failed, but not on an assertion: " + why);
            String message = String.valueOf(why.getMessage());
            assertTrue(message.contains("found another inside") || message.contains("increments lost")
                    || message.contains("while the parent held it"), test + " failed for another reason: " + message);
        }
    }

    /** The same contracts pass on the real transport, so the failures above are the faults' doing. */
    @Test
    void theSameContractsPassOnTheRealTransport() {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod("dev.multiproc.transport.pipe.PipePoolTest#mapAsyncCompletesWithOrderedResults"),
                        selectMethod("dev.multiproc.transport.pipe.PipePoolTest#mapReturnsResultsInInputOrder"),
                        selectMethod("dev.multiproc.transport.pipe.PipeLockTest#lockExcludesAcrossProcesses"),
                        selectMethod("dev.multiproc.transport.pipe.PipeLockTest"
                                + "#sharedLockExcludesAcrossProcessesAsAJavaUtilConcurrentLock"),
                        selectMethod("dev.multiproc.transport.pipe.PipeSharedValueTest"
                                + "#lockedIncrementsFromManyProcessesAreExact"))
                .execute().testEvents().assertStatistics(stats -> stats.started(5).succeeded(5));
    }
}
