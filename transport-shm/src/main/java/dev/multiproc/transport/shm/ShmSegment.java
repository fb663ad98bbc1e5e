package dev.multiproc.transport.shm;

import static dev.multiproc.transport.shm.ShmSegmentDescriptor.*;

import dev.multiproc.ProtocolException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * One memory-mapped segment file: its header (see {@link ShmSegmentDescriptor}) and typed, atomic access to the
 * rest. The parent creates segments; children map them by path. A mapping stays valid until the JVM drops it, even
 * after the file is deleted, so every user checks {@link #checkLive()} where acting on a dead segment would be wrong.
 */
final class ShmSegment {
    /** Atomic access to longs in a direct buffer; every offset used must be 8-aligned. */
    static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Atomic access to ints in a direct buffer; every offset used must be 4-aligned. */
    static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private static final Set<StandardOpenOption> CREATE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE);

    private final Path path;
    private final MappedByteBuffer buffer;
    private final int kind;

    private ShmSegment(Path path, MappedByteBuffer buffer, int kind) {
        this.path = path;
        this.buffer = buffer;
        this.kind = kind;
    }

    /**
     * Creates, sizes and maps a new segment file readable and writable by its owner only, and writes its header.
     * The header's state stays {@code INITIALISING} until {@link #publish()}.
     */
    static ShmSegment create(Path path, int kind, int length) throws IOException {
        if (length < HEADER_LENGTH) {
            throw new IllegalArgumentException("segment length " + length + " is smaller than its header");
        }
        try (FileChannel channel = FileChannel.open(path, CREATE,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            channel.truncate(length);
            // tmpfs allocates pages on first touch: a sparse file costs only what is used
            MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
            buffer.order(ByteOrder.LITTLE_ENDIAN);
            ProcessHandle self = ProcessHandle.current();
            buffer.putLong(MAGIC_OFFSET, MAGIC);
            buffer.putInt(VERSION_OFFSET, VERSION);
            buffer.putInt(KIND_OFFSET, kind);
            buffer.putLong(OWNER_PID_OFFSET, self.pid());
            buffer.putLong(OWNER_START_OFFSET, ShmDirectory.startMillis(self));
            buffer.putLong(LENGTH_OFFSET, length);
            return new ShmSegment(path, buffer, kind);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(path);
            throw e;
        }
    }

    /**
     * Maps an existing segment and checks that it is a live multiproc segment of this version and of the expected
     * kind.
     *
     * @throws ProtocolException if the file is truncated, corrupt, of another version or kind, or closed
     * @throws IOException if the file cannot be opened (for example it was deleted because its context closed)
     */
    static ShmSegment open(Path path, int expectedKind) throws IOException {
        MappedByteBuffer buffer;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            if (size < HEADER_LENGTH) {
                throw new ProtocolException("shared-memory segment " + path + " is truncated: " + size
                        + " bytes, less than its " + HEADER_LENGTH + "-byte header");
            }
            if (size > Integer.MAX_VALUE) {
                throw new ProtocolException("shared-memory segment " + path + " is " + size
                        + " bytes, larger than any segment multiproc makes");
            }
            buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
        } catch (NoSuchFileException e) {
            throw new IOException("shared-memory segment " + path + " does not exist: its context has closed, or"
                    + " something deleted it", e);
        }
        buffer.order(ByteOrder.LITTLE_ENDIAN);
        long magic = buffer.getLong(MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new ProtocolException("file " + path + " is not a multiproc shared-memory segment (magic 0x"
                    + Long.toHexString(magic) + ")");
        }
        int version = buffer.getInt(VERSION_OFFSET);
        if (version != VERSION) {
            throw new ProtocolException("shared-memory segment " + path + " has layout version " + version
                    + ", this multiproc reads version " + VERSION + ": parent and child run different multiproc"
                    + " versions; put the same multiproc jars on both class paths");
        }
        int state = (int) INTS.getAcquire(buffer, STATE_OFFSET);
        if (state != STATE_LIVE) {
            throw new IOException("shared-memory segment " + path + " is "
                    + (state == STATE_CLOSED ? "closed: its context has closed" : "not initialised (state " + state + ")"));
        }
        long length = buffer.getLong(LENGTH_OFFSET);
        if (length != buffer.capacity()) {
            throw new ProtocolException("shared-memory segment " + path + " is truncated or corrupt: its header says "
                    + length + " bytes, the file has " + buffer.capacity());
        }
        int kind = buffer.getInt(KIND_OFFSET);
        if (kind != expectedKind) {
            throw new ProtocolException("shared-memory segment " + path + " holds " + kindName(kind) + ", expected "
                    + kindName(expectedKind));
        }
        return new ShmSegment(path, buffer, kind);
    }

    /** Marks the header live (release): everything the owner wrote before is visible to whoever maps it next. */
    void publish() {
        INTS.setRelease(buffer, STATE_OFFSET, STATE_LIVE);
    }

    /** Marks the segment closed (release), so handles that still map it refuse to work. */
    void markClosed() {
        INTS.setRelease(buffer, STATE_OFFSET, STATE_CLOSED);
    }

    /**
     * @throws IllegalStateException if the owning context has closed
     */
    void checkLive() {
        // acquire: pairs with markClosed's release; one read of a line that is written twice in the segment's life
        if ((int) INTS.getAcquire(buffer, STATE_OFFSET) != STATE_LIVE) {
            throw new IllegalStateException("the context that owns this shared object has closed (segment " + path
                    + "); shared objects live only as long as their context");
        }
    }

    boolean isLive() {
        return (int) INTS.getAcquire(buffer, STATE_OFFSET) == STATE_LIVE;
    }

    long ownerPid() {
        return buffer.getLong(OWNER_PID_OFFSET);
    }

    /** Deletes the file; mappings in live processes stay valid memory until dropped. */
    void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            System.getLogger("dev.multiproc.shm").log(System.Logger.Level.WARNING,
                    "could not delete shared-memory segment " + path + "; the next context sweeps it", e);
        }
    }

    Path path() {
        return path;
    }

    int kind() {
        return kind;
    }

    MappedByteBuffer buffer() {
        return buffer;
    }

    int length() {
        return buffer.capacity();
    }
}
