package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The two programs that define the product, run in fresh JVMs on the transport under test: exact output, nothing
 * on stderr, exit status 0, and no process left behind.
 */
public abstract class DemoContract extends TransportContract {

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
        try {
            CompletableFuture<String> out = drain(demo.getInputStream());
            CompletableFuture<String> err = drain(demo.getErrorStream());
            int status = within(120, main.getSimpleName(), demo::waitFor);
            assertEquals(expected + System.lineSeparator(), out.get());
            assertEquals("", err.get(), "the demo wrote to stderr");
            assertEquals(0, status);
            await(10, "the demo's children to exit", () -> demo.descendants().noneMatch(ProcessHandle::isAlive));
        } finally {
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly();
        }
        assertTrue(ProcessHandle.current().descendants().noneMatch(h -> h.pid() == demo.pid() && h.isAlive()));
    }

    /** The pool-map demo prints exactly {@code Total result: 55}. */
    @Test
    public void poolMapDemoPrintsTotalResult55() throws Exception {
        runDemo(poolMapDemoMain(), "Total result: 55");
    }

    /** The counter demo prints exactly {@code Final shared value: 10}. */
    @Test
    public void counterDemoPrintsFinalSharedValue10() throws Exception {
        runDemo(counterDemoMain(), "Final shared value: 10");
    }
}
