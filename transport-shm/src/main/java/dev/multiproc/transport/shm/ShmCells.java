package dev.multiproc.transport.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parent's allocator of 64-byte cells (one cache line each, so that two shared values never share a line) in
 * segments of {@value #SEGMENT_LENGTH} bytes, made as they fill. Cells are never reused within a context: a handle
 * may outlive the object the user thought of as gone. Thread-safe.
 */
final class ShmCells implements AutoCloseable {
    static final int CELL_LENGTH = ShmSegmentDescriptor.CACHE_LINE;
    static final int SEGMENT_LENGTH = 1 << 20;

    /** Where a cell is: its segment's path, its offset in it, and the segment's kind. */
    record Cell(Path path, int offset, int kind) {
        /** A cell in a segment of cells. */
        Cell(Path path, int offset) {
            this(path, offset, ShmSegmentDescriptor.KIND_CELLS);
        }
    }

    private final Path directory;
    private final String prefix;
    private final List<ShmSegment> segments = new ArrayList<>();
    private ShmSegment current;
    private int next;
    private boolean closed;

    ShmCells(Path directory, String prefix) {
        this.directory = directory;
        this.prefix = prefix;
    }

    /**
     * @return a fresh zeroed cell
     * @throws UncheckedIOException if no segment can be created (the directory is full, say)
     * @throws IllegalStateException if the transport has closed
     */
    Cell allocate() {
        return allocate(1);
    }

    /**
     * @param count how many cells, side by side, at least 1; at most what a segment holds after its header
     * @return the first of {@code count} fresh zeroed cells that follow each other in one segment
     * @throws UncheckedIOException if no segment can be created (the directory is full, say)
     * @throws IllegalStateException if the transport has closed
     */
    synchronized Cell allocate(int count) {
        if (closed) {
            throw new IllegalStateException("the context has closed");
        }
        int length = count * CELL_LENGTH;
        if (count < 1 || length > SEGMENT_LENGTH - ShmSegmentDescriptor.HEADER_LENGTH) {
            throw new IllegalArgumentException("cannot allocate " + count + " cells side by side");
        }
        if (current == null || next + length > SEGMENT_LENGTH) {
            Path path = directory.resolve(prefix + "cells-" + segments.size());
            try {
                current = ShmSegment.create(path, ShmSegmentDescriptor.KIND_CELLS, SEGMENT_LENGTH);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a shared-memory segment for shared values at " + path
                        + ": " + e.getMessage() + " (is " + directory + " full? set -D"
                        + ShmTransport.DIRECTORY.name() + " to another directory)", e);
            }
            current.publish();
            ShmMappings.register(current);
            segments.add(current);
            next = ShmSegmentDescriptor.HEADER_LENGTH;
        }
        Cell cell = new Cell(current.path(), next);
        next += length;
        return cell;
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (ShmSegment segment : segments) {
            segment.markClosed();
            segment.delete();
            ShmMappings.forget(segment);
        }
        segments.clear();
    }
}
