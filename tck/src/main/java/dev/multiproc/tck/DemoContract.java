package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The two programs that define the product, run in fresh JVMs on the transport under test: exact output, nothing
 * on stderr, exit status 0, and no process left behind.
 */
public abstract class DemoContract extends TransportContract {

    /** For a transport's subclass, which JUnit instantiates. */
    protected DemoContract() {
    }

    /** @return the pool-map demo's main class (prints {@code Total result: 55}) */
    protected abstract Class<?> poolMapDemoMain();

    /** @return the counter demo's main class (prints {@code Final shared value: 10}) */
    protected abstract Class<?> counterDemoMain();

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (in) {
                in.transferTo(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toString(StandardCharsets.UTF_8);
        });
    }

    private void runDemo(Class<?> main, String expected) throws Exception {
        Process demo = new ProcessBuilder(javaCommand(main, List.of("-Dmultiproc.transport=" + transportName())))
                .start();
        // A child outlives its parent's exit under another parent (init), so the demo's descendants are sampled
        // while it runs; every child is a JVM, alive far longer than one sampling period.
        Set<Long> started = ConcurrentHashMap.newKeySet();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "demo-descendants-sampler");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(() -> demo.descendants().forEach(child -> started.add(child.pid())), 0, 10,
                TimeUnit.MILLISECONDS);
        try {
            CompletableFuture<String> out = drain(demo.getInputStream());
            CompletableFuture<String> err = drain(demo.getErrorStream());
            int status = within(120, main.getSimpleName(), demo::waitFor);
            sampler.shutdown();
            assertTrue(within(5, "the descendants sampler to stop", () -> sampler.awaitTermination(5,
                    TimeUnit.SECONDS)));
            String stdout = within(10, "the demo's stdout", () -> out.get());
            String stderr = within(10, "the demo's stderr", () -> err.get());
            assertEquals(expected + System.lineSeparator(), stdout);
            assertEquals("", stderr, "the demo wrote to stderr");
            assertEquals(0, status, "the demo's exit status");
            await(10, "the demo's children " + started + " to exit",
                    () -> started.stream().noneMatch(DemoContract::alive));
        } finally {
            sampler.shutdownNow();
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly();
            started.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
        assertFalse(demo.isAlive());
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * The pool-map demo prints exactly {@code Total result: 55}.
     *
     * @throws Exception if the demo's JVM cannot be started or read
     */
    @Test
    public void poolMapDemoPrintsTotalResult55() throws Exception {
        runDemo(poolMapDemoMain(), "Total result: 55");
    }

    /**
     * The counter demo prints exactly {@code Final shared value: 10}.
     *
     * @throws Exception if the demo's JVM cannot be started or read
     */
    @Test
    public void counterDemoPrintsFinalSharedValue10() throws Exception {
        runDemo(counterDemoMain(), "Final shared value: 10");
    }
}
