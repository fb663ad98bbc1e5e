package dev.multiproc.transport.shm;

/**
 * Layout of the header at the start of every segment file. All fields are little-endian native order longs and
 * ints, naturally aligned; the header fills one page so that what follows it is page-aligned.
 *
 * <pre>
 *   0                   8         12        16                  24                  32                  40   44
 *   +-------------------+---------+---------+-------------------+-------------------+-------------------+----+----
 *   | magic "MPROCSHM"  | version | kind    | owner pid         | owner start (ms)  | length of segment | st |
 *   +-------------------+---------+---------+-------------------+-------------------+-------------------+----+----
 *   64: channel segments only: the doorbell token, 16 bytes; 80: length of the doorbell's path, int; 84: the path
 *   ... zero up to HEADER_LENGTH (4096), then the kind's own layout
 * </pre>
 *
 * <p>The owner writes every field with plain writes and then {@code state = LIVE} with release semantics; a process
 * that maps the segment reads {@code state} with acquire semantics first, so it never sees a half-written header.
 * At close the owner sets {@code state = CLOSED} (release) before it deletes the file, so a handle that still has the
 * mapping refuses to work on memory that no longer belongs to anyone.
 */
final class ShmSegmentDescriptor {
    /** "MPROCSHM" as a little-endian long. */
    static final long MAGIC = 0x4d48_5343_4f52_504dL;
    /** Layout version; a segment of another version is refused, never misread. */
    static final int VERSION = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int KIND_OFFSET = 12;
    static final int OWNER_PID_OFFSET = 16;
    static final int OWNER_START_OFFSET = 24;
    static final int LENGTH_OFFSET = 32;
    static final int STATE_OFFSET = 40;
    /** Channel segments: 16 random bytes the child presents on the doorbell socket to say which channel it is. */
    static final int CHANNEL_TOKEN_OFFSET = 64;
    static final int CHANNEL_TOKEN_LENGTH = 16;
    /** Channel segments: length (int) and UTF-8 bytes of the doorbell socket's path; length 0 if there is none. */
    static final int CHANNEL_BELL_PATH_LENGTH_OFFSET = 80;
    static final int CHANNEL_BELL_PATH_OFFSET = 84;
    static final int CHANNEL_BELL_PATH_MAX = 1024;
    static final int HEADER_LENGTH = 4096;

    /** {@code state}: being initialised by the owner. */
    static final int STATE_INITIALISING = 0;
    /** {@code state}: ready for use. */
    static final int STATE_LIVE = 1;
    /** {@code state}: the owning context closed; the file is being deleted. */
    static final int STATE_CLOSED = 2;

    /** A segment holding one child's pair of rings. */
    static final int KIND_CHANNEL = 1;
    /** A segment of 64-byte cells for shared ints, longs and locks. */
    static final int KIND_CELLS = 2;
    /** A segment holding a pipe's one or two rings. */
    static final int KIND_PIPE = 3;
    /** The first segment of a queue: its shared state and its first ring. */
    static final int KIND_QUEUE = 4;
    /** A further ring of a queue that outgrew the one before. */
    static final int KIND_QUEUE_PART = 5;
    /**
     * A shared buffer: after the header, one page whose first cell is the buffer's lock (see {@link ShmSharedLock}),
     * then the buffer's bytes from {@link #BUFFER_DATA_OFFSET}, page-aligned, to the end of the segment.
     */
    static final int KIND_BUFFER = 6;
    /** Buffer segments: the lock's cell. */
    static final int BUFFER_LOCK_OFFSET = 4096;
    /** Buffer segments: the first byte of the buffer. */
    static final int BUFFER_DATA_OFFSET = 8192;

    /**
     * One generation of a shared value's bytes: after the header, two slots of equal size, page-aligned (see
     * {@link ShmValueDescriptor}).
     */
    static final int KIND_VALUE = 7;

    /** Cache line size assumed for padding; 128 where adjacent-line prefetch pairs lines. */
    static final int CACHE_LINE = 64;

    private ShmSegmentDescriptor() {
    }

    static String kindName(int kind) {
        return switch (kind) {
            case KIND_CHANNEL -> "channel";
            case KIND_CELLS -> "cells";
            case KIND_PIPE -> "pipe";
            case KIND_QUEUE -> "queue";
            case KIND_QUEUE_PART -> "queue part";
            case KIND_BUFFER -> "buffer";
            case KIND_VALUE -> "value";
            default -> "unknown kind " + kind;
        };
    }
}
