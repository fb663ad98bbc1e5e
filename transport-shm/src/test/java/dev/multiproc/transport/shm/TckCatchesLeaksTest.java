package dev.multiproc.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.opentest4j.AssertionFailedError;

/** The tck is itself tested: a transport that leaks its segments must fail the ResourceContract. */
class TckCatchesLeaksTest {
    private List<Path> before;

    @BeforeEach
    void remember() throws IOException {
        before = ours();
    }

    /** Deletes what the leaky transport left, so that this test leaves nothing either. */
    @AfterEach
    void cleanUp() throws IOException {
        for (Path leaked : ours()) {
            if (!before.contains(leaked)) {
                Files.deleteIfExists(leaked);
            }
        }
    }

    private static List<Path> ours() throws IOException {
        String pid = "-" + ProcessHandle.current().pid() + "-";
        try (Stream<Path> files = Files.list(ShmDirectory.directoryOfThisProcess())) {
            return new ArrayList<>(files.filter(p -> p.getFileName().toString().startsWith("multiproc-")
                    && p.getFileName().toString().contains(pid)).toList());
        }
    }

    /** The leak is caught by the contract's check of the files left, not by some other failure. */
    @Test
    void resourceContractFailsOnATransportThatLeaksSegments() {
        List<Throwable> failures = new ArrayList<>();
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(LeakyResourceRun.class, "closeReleasesEveryProcessThreadAndFile"))
                .execute().testEvents().failed().stream()
                .forEach(event -> event.getPayload(TestExecutionResult.class)
                        .flatMap(TestExecutionResult::getThrowable).ifPresent(failures::add));
        assertEquals(1, failures.size(), "the leaky transport passed the ResourceContract");
        AssertionFailedError why = assertInstanceOf(AssertionFailedError.class, failures.get(0));
        assertTrue(why.getMessage().contains("files of the closed context remain"), why.getMessage());
    }

    @Test
    void theSameContractPassesOnTheRealTransport() {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(ShmResourceTest.class, "closeReleasesEveryProcessThreadAndFile"))
                .execute().testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
    }
}
