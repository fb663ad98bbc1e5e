package dev.multiproc.transport.shm;

import static dev.multiproc.transport.shm.ShmSegmentDescriptor.BUFFER_DATA_OFFSET;
import static dev.multiproc.transport.shm.ShmSegmentDescriptor.BUFFER_LOCK_OFFSET;
import static dev.multiproc.transport.shm.ShmSegmentDescriptor.KIND_BUFFER;

import dev.multiproc.SharedLock;
import dev.multiproc.spi.NativeBuffer;
import java.io.IOException;
import java.io.Serial;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A shared buffer in a segment of its own (layout in {@link ShmSegmentDescriptor#KIND_BUFFER}): every process maps
 * the segment once (through {@link ShmMappings}, shared with the buffer's lock) and core reads and writes the mapping
 * directly. On the wire it is the segment's path and the buffer's size; any process of the same user can attach it
 * by name, {@code shm:} and the path.
 */
final class ShmBuffer implements NativeBuffer {
    @Serial
    private static final long serialVersionUID = 1L;
    /** The prefix of a shm buffer's name. */
    static final String NAME_PREFIX = "shm:";
    /** The largest buffer: a mapping is indexed by int on Java 17. */
    static final long MAX_SIZE = Integer.MAX_VALUE - BUFFER_DATA_OFFSET;

    /** The segment file (a String: {@link Path} is not serializable). */
    private final String path;
    private final long size;
    private final ShmSharedLock lock;
    private transient volatile ShmSegment segment;
    private transient volatile ByteBuffer data;

    ShmBuffer(Path path, long size) {
        this.path = path.toString();
        this.size = size;
        this.lock = new ShmSharedLock(new ShmCells.Cell(path, BUFFER_LOCK_OFFSET, KIND_BUFFER), false);
    }

    /**
     * Attaches a buffer by name, in any process.
     *
     * @throws IllegalArgumentException if the name is not a shm buffer's
     * @throws IOException if there is no such segment, or it is not a live buffer
     */
    static ShmBuffer attach(String name) throws IOException {
        if (!name.startsWith(NAME_PREFIX) || name.length() == NAME_PREFIX.length()) {
            throw new IllegalArgumentException("\"" + name + "\" is not the name of a shm buffer (shm:<path>)");
        }
        Path path = Paths.get(name.substring(NAME_PREFIX.length()));
        ShmSegment mapped;
        try {
            mapped = ShmMappings.get(path, KIND_BUFFER); // one mapping per JVM, shared with every handle to it
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e.getCause());
        }
        mapped.checkLive();
        return new ShmBuffer(path, mapped.length() - (long) BUFFER_DATA_OFFSET);
    }

    @Override
    public String name() {
        return NAME_PREFIX + path;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public ByteBuffer memory() {
        ByteBuffer mapped = data;
        ShmSegment current = segment;
        if (mapped == null) {
            current = ShmMappings.get(Paths.get(path), KIND_BUFFER);
            if (current.length() != BUFFER_DATA_OFFSET + size) {
                throw new IllegalStateException("corrupt shared-buffer handle: " + path + " holds "
                        + (current.length() - BUFFER_DATA_OFFSET) + " bytes, the handle says " + size);
            }
            mapped = current.buffer().slice(BUFFER_DATA_OFFSET, (int) size);
            segment = current;
            data = mapped;
        }
        current.checkLive();
        return mapped;
    }

    @Override
    public SharedLock lock() {
        return lock;
    }

    @Override
    public String toString() {
        return "ShmBuffer[" + path + ", " + size + " bytes]";
    }
}
