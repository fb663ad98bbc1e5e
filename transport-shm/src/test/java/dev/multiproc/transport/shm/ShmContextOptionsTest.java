package dev.multiproc.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shm transport's settings are per context: one context's segments go to the directory and have the ring size
 * its builder set, while another context in the same JVM keeps the defaults; a bad value fails the context's
 * build, naming the option.
 */
@Timeout(120)
class ShmContextOptionsTest {
    private static final int RING = 64 * 1024;

    @TempDir
    Path directory;

    static int length(byte[] message) {
        return message.length;
    }

    private List<Path> segmentsIn(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(ShmDirectory.PREFIX)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aContextsDirectoryAndRingSizeAreItsOwn() throws IOException {
        try (Context tuned = Multiproc.contextBuilder().transport("shm").option(ShmTransport.DIRECTORY, directory)
                .option(ShmTransport.RING_BYTES, RING).build();
                Pool pool = tuned.pool(1);
                Context plain = Multiproc.contextBuilder().transport("shm").build();
                Pool plainPool = plain.pool(1)) {
            byte[] large = new byte[300 * 1024]; // several ring-fulls: sent in fragments through the small rings
            assertEquals(List.of(large.length), pool.map(ShmContextOptionsTest::length, List.of(large)));
            assertEquals(List.of(1), plainPool.map(ShmContextOptionsTest::length, List.of(new byte[1])));
            List<Path> segments = segmentsIn(directory);
            assertFalse(segments.isEmpty(), "the tuned context's segments are not in " + directory);
            long largest = 0;
            for (Path segment : segments) {
                largest = Math.max(largest, Files.size(segment));
            }
            assertTrue(largest < 4L * RING, "a segment of " + largest + " bytes: rings of " + RING + " were set");
            Path defaultDirectory = ShmDirectory.directoryOfThisProcess();
            assertFalse(defaultDirectory.equals(directory));
            assertTrue(segmentsIn(defaultDirectory).stream().noneMatch(segments::contains));
        }
        assertEquals(List.of(), segmentsIn(directory), "the closed context left segments");
    }

    @Test
    void aRingSizeThatIsNotAPowerOfTwoFailsTheBuildNamingTheOption() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Multiproc.contextBuilder()
                .transport("shm").option(ShmTransport.RING_BYTES, 100_000).build().close());
        assertTrue(error.getMessage().contains(ShmTransport.RING_BYTES.name()), error.getMessage());
    }
}
