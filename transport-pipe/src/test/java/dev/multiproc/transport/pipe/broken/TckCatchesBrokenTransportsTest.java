package dev.multiproc.transport.pipe.broken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.multiproc.WorkerCrashedException;
import dev.multiproc.tck.TckTimeouts;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.AssertionFailedError;

/**
 * The tck is itself tested: run a contract against a deliberately broken transport and require it to fail. A
 * lost frame must be caught by a deadline, a garbled one by the crash rules.
 */
class TckCatchesBrokenTransportsTest {

    /**
     * Runs one contract test and returns why it failed.
     *
     * @param test the test, as {@code ClassInThisPackage#method}
     * @return the single failure it reported
     */
    private static Throwable onlyFailure(String test) {
        return onlyFailure(test, false);
    }

    /**
     * As {@link #onlyFailure(String)}, for a test that must fail by a deadline: with {@code unscaled}, the tck's
     * deadlines in this JVM are not stretched by the timeout factor of a slow machine (CI's 3 would make each such
     * proof wait three times as long for the same failure).
     */
    private static Throwable onlyFailure(String test, boolean unscaled) {
        if (unscaled) {
            System.setProperty(TckTimeouts.UNSCALED, "true");
        }
        try {
            return runAlone(test);
        } finally {
            System.clearProperty(TckTimeouts.UNSCALED);
        }
    }

    private static Throwable runAlone(String test) {
        List<Throwable> failures = new ArrayList<>();
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(TckCatchesBrokenTransportsTest.class.getPackageName() + "." + test)).execute()
                .testEvents().failed().stream()
                .forEach(event -> event.getPayload(TestExecutionResult.class)
                        .flatMap(TestExecutionResult::getThrowable).ifPresent(failures::add));
        assertEquals(1, failures.size(), test + " did not fail on the broken transport");
        return failures.get(0);
    }

    /** Asserts that {@code test} failed on an assertion of the contract whose message names one of the reasons. */
    private static void assertFailedBecause(String test, Throwable failure, String... reasons) {
        AssertionFailedError why = assertInstanceOf(AssertionFailedError.class, failure,
                test + " failed, but not on an assertion: " + failure);
        String message = String.valueOf(why.getMessage());
        for (String reason : reasons) {
            if (message.contains(reason)) {
                return;
            }
        }
        throw new AssertionFailedError(test + " failed for another reason than " + List.of(reasons) + ": "
                + message, why);
    }

    /** A transport that loses a task result fails the pool contract by its deadline instead of passing. */
    @Test
    void poolContractFailsOnATransportThatDropsAFrame() {
        String test = "DroppingTransportPoolRun#mapAsyncCompletesWithOrderedResults";
        assertFailedBecause(test, onlyFailure(test, true), "timed out after");
    }

    /**
     * A transport that garbles a task result fails the pool contract instead of passing: the parent stops the worker
     * whose frame it could not read, and the map fails with a crash that says so.
     */
    @Test
    void poolContractFailsOnATransportThatCorruptsAFrame() {
        String test = "CorruptingTransportPoolRun#mapReturnsResultsInInputOrder";
        WorkerCrashedException crash = assertInstanceOf(WorkerCrashedException.class, onlyFailure(test));
        assertTrue(crash.getMessage().contains("could not read"), crash.getMessage());
        assertInstanceOf(IOException.class, crash.getCause().getCause(), "why the parent stopped the worker");
    }

    /**
     * A transport that loses the parent's Interrupt fails the timeout contract: the timed-out task is not stopped, so
     * its worker is still busy with it when the next task comes.
     */
    @Test
    void timeoutContractFailsOnATransportThatLosesAnInterrupt() {
        String test = "DroppingInterruptTimeoutRun"
                + "#aTaskPastItsTimeoutFailsAtTheDeadlineAndAnInterruptibleOneKeepsItsWorker";
        assertFailedBecause(test, onlyFailure(test), "timed out after");
    }

    /**
     * A lock that excludes nothing fails the contention contracts (two of the LockContract, one of the
     * SharedValueContract), each for the reason it checks (a holder found another inside; an increment lost; a
     * child inside while the parent held the lock), not by a deadline.
     */
    @Test
    void lockContractFailsOnALockThatExcludesNothing() {
        for (String test : List.of("LockDoesNothingRun#lockExcludesAcrossProcesses",
                "LockDoesNothingRun#sharedLockExcludesAcrossProcessesAsAJavaUtilConcurrentLock",
                "SharedValueLockDoesNothingRun#lockedIncrementsFromManyProcessesAreExact")) {
            assertFailedBecause(test, onlyFailure(test), "found another inside", "increments lost",
                    "while the parent held it");
        }
    }

    /**
     * Buffers whose memory each process has to itself fail the buffer contract's cross-process tests, each for
     * what it checks (a child read other bytes; increments lost); a buffer lock that excludes nothing fails the
     * locked-update test because a process saw a half-done update.
     */
    @Test
    void sharedBufferContractFailsOnUnsharedMemoryAndOnALockThatExcludesNothing() {
        assertFailedBecause("UnsharedBufferRun#bytesWrittenInOneProcessAreReadInAnother",
                onlyFailure("UnsharedBufferRun#bytesWrittenInOneProcessAreReadInAnother"), "the child read other bytes");
        assertFailedBecause("UnsharedBufferRun#elementIncrementsFromManyProcessesAreExact",
                onlyFailure("UnsharedBufferRun#elementIncrementsFromManyProcessesAreExact"), "increments lost");
        String locked = "SharedBufferLockDoesNothingRun#theBufferLockMakesMultiElementUpdatesAtomicAcrossProcesses";
        assertFailedBecause(locked, onlyFailure(locked), "half-done transfer");
    }

    /**
     * Values that each process keeps to itself fail the value contract's large-value test (the parent reads the
     * initial value, not the child's); a getAndSet that is a get followed by a set fails the concurrent-getAndSet
     * test, because two processes that swap at once get the same value and one value set is never returned.
     */
    @Test
    void sharedValueContentsContractFailsOnUnsharedValuesAndASplitGetAndSet() {
        String unshared = "UnsharedValueRun#aValueOfSeveralMegabytesCrossesProcessesWhole";
        assertFailedBecause(unshared, onlyFailure(unshared), "the parent read another value than the child set");
        String split = "SplitGetAndSetValueRun#concurrentGetAndSetLosesNothing";
        assertFailedBecause(split, onlyFailure(split), "values lost");
    }

    /** A map whose merge is a get and a put from the caller fails the contract's merge test: counts are lost. */
    @Test
    void sharedCollectionsContractFailsOnANonAtomicMerge() {
        String test = "NonAtomicMergeRun#mergesFromManyProcessesLoseNoCount";
        assertFailedBecause(test, onlyFailure(test), "counts lost");
    }

    /**
     * A transport that tells a child the wrong parent pid, or loses the name the parent gave it, fails the
     * introspection contract: what the child says of itself and its parent must match what the parent knows.
     */
    @Test
    void introspectionContractFailsOnATransportThatMislabelsAChild() {
        for (String test : List.of("WrongParentIntrospectionRun#aChildKnowsItsNamePidAndParent",
                "WrongParentIntrospectionRun#poolWorkersKnowTheyAreWorkersAndAreNotActiveChildren")) {
            assertFailedBecause(test, onlyFailure(test), "parent's pid");
        }
        String test = "NamelessIntrospectionRun#aChildKnowsItsNamePidAndParent";
        assertFailedBecause(test, onlyFailure(test), "the child's name");
    }

    /**
     * A transport that loses a wake-up fails the barrier and condition contracts: a child released from a barrier,
     * or signalled on a condition, that never hears of it is caught by the contract's deadline.
     */
    @Test
    void barrierAndConditionContractsFailOnATransportThatLosesAWakeUp() {
        for (String test : List.of("BarrierWakeUpLostRun#partiesOfSeveralProcessesMeetAndGetEveryArrivalIndexOnce",
                "ConditionWakeUpLostRun#signalWakesOneWaiterAndSignalAllWakesTheRest")) {
            assertFailedBecause(test, onlyFailure(test, true), "timed out after");
        }
    }

    /**
     * Semaphores and events private to each process (what a native implementation that forgot to share its memory
     * would give) fail the lock contract's semaphore and event tests: a permit released in a child is missing in
     * the parent, and a child's set never reaches the parent's waiter.
     */
    @Test
    void semaphoreAndEventTestsFailOnPrimitivesThatAreNotShared() {
        String semaphore = "UnsharedSyncRun#semaphorePermitsAreSharedAcrossProcesses";
        assertFailedBecause(semaphore, onlyFailure(semaphore), "expected: <2> but was: <0>");
        String event = "UnsharedSyncRun#eventAcrossProcesses";
        assertFailedBecause(event, onlyFailure(event, true), "expected: <true> but was: <false>");
    }

    /**
     * A joinable queue whose task count each process keeps apart fails the three-process test (a third process's
     * join passes while the tasks put in another are undone); one whose put counts its element only after a consumer
     * can take it fails the producers-and-consumers test (a consumer's taskDone right after its get is refused).
     */
    @Test
    void joinableQueueContractFailsOnACountPerProcessAndOnACountAfterThePut() {
        String perProcess = "JoinableQueueCountsPerProcessRun#putInOneProcessMarkedDoneInAnotherAndJoinedInAThird";
        assertFailedBecause(perProcess, onlyFailure(perProcess), "in a third process returned true");
        String afterPut = "JoinableQueueCountsAfterPutRun#tasksMarkedDoneAsSoonAsTakenAreNeverRefused";
        assertFailedBecause(afterPut, onlyFailure(afterPut), "ran ahead of the put of its element");
    }

    /**
     * An authentication that lets any key in fails the listener contract's wrong-key test: the client with another
     * key is let in, where both ends must refuse it.
     */
    @Test
    void listenerContractFailsOnAnAuthenticationThatAcceptsAnyKey() {
        String test = "AnyKeyListenerRun#anUnrelatedJvmConnectsWithTheKeyAndAWrongKeyIsRefusedOnBothEnds";
        assertFailedBecause(test, onlyFailure(test), "a client with a wrong key was let in");
    }

    /**
     * A wait that never reports readiness fails the wait contract (the pipe a child sent on, and the pipe it closed,
     * are not returned); a wait that reports every connection as soon as one is ready fails it too (only one had a
     * message).
     */
    @Test
    void waitContractFailsOnAWaitThatNeverReportsOrReportsEverything() {
        for (String test : List.of("WaitNeverReadyRun#waitReturnsExactlyThePipeAChildSentOn",
                "WaitNeverReadyRun#anEndWhoseOtherEndClosedCountsAsReady",
                "WaitReportsEverythingRun#waitReturnsExactlyThePipeAChildSentOn")) {
            assertFailedBecause(test, onlyFailure(test, true), "but only pipe");
        }
    }

    /** The same contracts pass on the real transport, so the failures above are the faults' doing. */
    @Test
    void theSameContractsPassOnTheRealTransport() {
        Events tests = EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod("dev.multiproc.transport.pipe.PipePoolTest#mapAsyncCompletesWithOrderedResults"),
                        selectMethod("dev.multiproc.transport.pipe.PipePoolTest#mapReturnsResultsInInputOrder"),
                        selectMethod("dev.multiproc.transport.pipe.PipeLockTest#lockExcludesAcrossProcesses"),
                        selectMethod("dev.multiproc.transport.pipe.PipeLockTest"
                                + "#sharedLockExcludesAcrossProcessesAsAJavaUtilConcurrentLock"),
                        selectMethod("dev.multiproc.transport.pipe.PipeSharedValueTest"
                                + "#lockedIncrementsFromManyProcessesAreExact"),
                        selectMethod("dev.multiproc.transport.pipe.PipeSharedBufferTest"
                                + "#bytesWrittenInOneProcessAreReadInAnother"),
                        selectMethod("dev.multiproc.transport.pipe.PipeSharedBufferTest"
                                + "#elementIncrementsFromManyProcessesAreExact"),
                        selectMethod("dev.multiproc.transport.pipe.PipeSharedBufferTest"
                                + "#theBufferLockMakesMultiElementUpdatesAtomicAcrossProcesses"),
                        selectMethod("dev.multiproc.transport.pipe.PipeSharedCollectionsTest"
                                + "#mergesFromManyProcessesLoseNoCount"),
                        selectMethod("dev.multiproc.transport.pipe.PipeTimeoutTest"
                                + "#aTaskPastItsTimeoutFailsAtTheDeadlineAndAnInterruptibleOneKeepsItsWorker"),
                        selectMethod("dev.multiproc.transport.pipe.PipeProcessIntrospectionTest"
                                + "#aChildKnowsItsNamePidAndParent"),
                        selectMethod("dev.multiproc.transport.pipe.PipeProcessIntrospectionTest"
                                + "#poolWorkersKnowTheyAreWorkersAndAreNotActiveChildren"),
                        selectMethod("dev.multiproc.transport.pipe.PipeLockTest#semaphorePermitsAreSharedAcrossProcesses"),
                        selectMethod("dev.multiproc.transport.pipe.PipeLockTest#eventAcrossProcesses"),
                        selectMethod("dev.multiproc.transport.pipe.PipeBarrierTest"
                                + "#partiesOfSeveralProcessesMeetAndGetEveryArrivalIndexOnce"),
                        selectMethod("dev.multiproc.transport.pipe.PipeConditionTest"
                                + "#signalWakesOneWaiterAndSignalAllWakesTheRest"),
                        selectMethod("dev.multiproc.transport.pipe.PipeListenerTest"
                                + "#anUnrelatedJvmConnectsWithTheKeyAndAWrongKeyIsRefusedOnBothEnds"),
                        selectMethod("dev.multiproc.transport.pipe.PipeConnectionWaitTest"
                                + "#waitReturnsExactlyThePipeAChildSentOn"),
                        selectMethod("dev.multiproc.transport.pipe.PipeConnectionWaitTest"
                                + "#anEndWhoseOtherEndClosedCountsAsReady"),
                        selectMethod("dev.multiproc.transport.pipe.PipeJoinableQueueTest"
                                + "#putInOneProcessMarkedDoneInAnotherAndJoinedInAThird"),
                        selectMethod("dev.multiproc.transport.pipe.PipeJoinableQueueTest"
                                + "#tasksMarkedDoneAsSoonAsTakenAreNeverRefused"))
                .execute().testEvents();
        // which test failed, and why: a count alone leaves a failure on a loaded machine unexplained
        List<String> failures = tests.failed().stream().map(event -> event.getTestDescriptor().getUniqueId() + ": "
                + event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                        .map(String::valueOf).orElse("?")).toList();
        assertEquals(List.of(), failures, "contracts failed on the real transport");
        tests.assertStatistics(stats -> stats.started(21).succeeded(21));
    }
}
