package dev.multiproc.it;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The exact lines that the consumer applications' scenario (src/it/consumer-parent/src/scenario/java/app/Main.java)
 * prints when every step passes, and the comparison of an application's output with them.
 */
public final class ScenarioLines {
    /** The system property listing the transports to run on, separated by commas. */
    public static final String TRANSPORTS_PROPERTY = "multiproc.it.transports";

    private ScenarioLines() {
    }

    /** @return the transports named by {@value #TRANSPORTS_PROPERTY}; pipe and shm if it is not set */
    public static List<String> transports() {
        List<String> names = new ArrayList<>();
        for (String name : System.getProperty(TRANSPORTS_PROPERTY, "").split("[,\\s]+")) {
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names.isEmpty() ? List.of("pipe", "shm") : names;
    }

    /**
     * @param transport a transport's name
     * @return the lines a passing scenario prints for it, in order
     */
    public static List<String> expected(String transport) {
        String tag = "[" + transport + "] ";
        return List.of(
                tag + "transport: " + transport,
                tag + "map: sum of squares of 1..10 = 385",
                tag + "queue: got \"hello from a child\" from another process",
                tag + "counter: 3 children x 100 locked increments = 300");
    }

    /**
     * @param expected lines that must appear in {@code output}, each as a whole line
     * @param output what an application printed
     * @return the expected lines that do not appear, in order; empty if all do
     */
    static List<String> missing(List<String> expected, String output) {
        Set<String> printed = new LinkedHashSet<>(Arrays.asList(output.split("\\R")));
        List<String> missing = new ArrayList<>();
        for (String line : expected) {
            if (!printed.contains(line)) {
                missing.add(line);
            }
        }
        return missing;
    }

    /**
     * @param output what an application printed
     * @return its lines that report a failed step ({@code [transport] step: FAILED: why})
     */
    static List<String> failedSteps(String output) {
        return Arrays.stream(output.split("\\R")).filter(line -> line.matches("\\[[^]]+\\] [a-z]+: FAILED: .*"))
                .toList();
    }
}
