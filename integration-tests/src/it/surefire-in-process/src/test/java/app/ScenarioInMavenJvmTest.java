package app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The scenario, from a JUnit test that Surefire runs inside Maven's JVM (forkCount=0). */
class ScenarioInMavenJvmTest {

    static List<String> transports() {
        return Main.transports(System.getProperty("multiproc.it.transports", ""));
    }

    @Test
    void runsInsideMavensOwnJvm() {
        String classPath = System.getProperty("java.class.path");
        assertTrue(classPath.contains("plexus-classworlds"), "not in Maven's JVM: java.class.path is " + classPath);
        System.out.println("[surefire] the tests run in Maven's own JVM");
    }

    @ParameterizedTest
    @MethodSource("transports")
    void scenarioPassesOn(String transport) {
        assertEquals(List.of(), Main.run(transport, System.out), "failed steps (their lines are in the output)");
    }
}
