package dev.multiproc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.Multiproc;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The long example, as a user runs it: the right count on stdout, and its progress bar drawn on stderr. */
class PrimesExampleTest {

    @Test
    @Timeout(180)
    void countsThePrimesAndDrawsItsProgressToTheEnd() throws Exception {
        Process run = new ProcessBuilder(Multiproc.javaCommand(Examples.class.getName(),
                List.of("-Dmultiproc.transport=pipe"), "primes", "200000")).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(run.getErrorStream()));
        String out = read(run.getInputStream());
        assertTrue(run.waitFor(120, TimeUnit.SECONDS), "the example ended");
        assertEquals(0, run.exitValue(), err.get());
        assertEquals("Primes below 200000: 17984" + System.lineSeparator(), out);
        String bar = err.get(10, TimeUnit.SECONDS).strip();
        String last = bar.substring(bar.lastIndexOf('\r') + 1).strip();
        assertTrue(last.startsWith("[" + "#".repeat(30) + "] 10/10 tasks (100%), 0 running"), bar);
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
