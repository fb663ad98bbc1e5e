package dev.multiproc.transport.shm;

import java.io.Serial;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.file.Paths;

/**
 * What every shared-memory handle is on the wire: the path of its segment (a segment of cells, or another kind with
 * a cell of its own, such as a buffer's lock), the segment's kind and its cell's offset. In the
 * process that receives it, the first operation maps the segment (once per JVM, see {@link ShmMappings}); every
 * operation first checks that the owning context is still open.
 */
abstract class ShmCellHandle implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The segment file (a String: {@link java.nio.file.Path} is not serializable). */
    final String path;
    /** The cell's offset in the segment, 64-aligned. */
    final int offset;
    /** The segment's kind (see {@link ShmSegmentDescriptor}). */
    private final int kind;
    private transient volatile ShmSegment segment;

    ShmCellHandle(ShmCells.Cell cell) {
        this.path = cell.path().toString();
        this.offset = cell.offset();
        this.kind = cell.kind();
    }

    /**
     * @return the mapped segment, live
     * @throws IllegalStateException if the owning context has closed
     */
    final ByteBuffer cells() {
        ShmSegment mapped = segment;
        if (mapped == null) {
            try {
                mapped = ShmMappings.get(Paths.get(path), kind);
            } catch (IllegalStateException e) {
                throw new IllegalStateException("the context that owns this shared object has closed, or its"
                        + " segment is gone: " + e.getMessage(), e);
            }
            if (offset < ShmSegmentDescriptor.HEADER_LENGTH || offset % ShmCells.CELL_LENGTH != 0
                    || offset + ShmCells.CELL_LENGTH > mapped.length()) {
                throw new IllegalStateException("corrupt shared-object handle: offset " + offset + " is not a cell of "
                        + path);
            }
            segment = mapped;
        }
        mapped.checkLive();
        return mapped.buffer();
    }

    /** @return a short description for toString */
    final String where() {
        return "shm " + Paths.get(path).getFileName() + "@" + offset;
    }
}
