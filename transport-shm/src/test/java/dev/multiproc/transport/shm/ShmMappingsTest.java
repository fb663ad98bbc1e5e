package dev.multiproc.transport.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a process maps the segments whose handles reach it. */
class ShmMappingsTest {
    @TempDir
    Path directory;

    /**
     * A thread whose interrupt flag is set (as a {@code Connection.wait} helper's is when the wait is over) still maps
     * a segment, and keeps its interrupt for the wait that follows: a {@code FileChannel} would close itself on the
     * interrupt, and the mapping used to fail with "cannot map the shared object's segment".
     */
    @Test
    void anInterruptedThreadMapsASegmentAndKeepsItsInterrupt() throws Exception {
        Path path = directory.resolve("multiproc-test-cells");
        ShmSegment created = ShmSegment.create(path, ShmSegmentDescriptor.KIND_CELLS, ShmCells.SEGMENT_LENGTH);
        created.publish();
        Thread.currentThread().interrupt();
        ShmSegment mapped;
        try {
            mapped = ShmMappings.get(path, ShmSegmentDescriptor.KIND_CELLS);
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt was lost");
        }
        assertEquals(ShmCells.SEGMENT_LENGTH, mapped.length());
        ShmMappings.forget(mapped);
        created.delete();
    }
}
