package dev.multiproc.transport.shm;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The segments this JVM has mapped, by path, so that every handle to a cell of one segment shares one mapping. The
 * parent registers the segments it creates; a child maps a segment the first time a handle to it arrives.
 */
final class ShmMappings {
    private static final Map<Path, ShmSegment> MAPPED = new ConcurrentHashMap<>();

    private ShmMappings() {
    }

    static void register(ShmSegment segment) {
        MAPPED.put(segment.path(), segment);
    }

    static void forget(ShmSegment segment) {
        MAPPED.remove(segment.path(), segment);
    }

    /**
     * @return the mapping of the segment of this kind at this path, mapped now if this JVM has not yet
     * @throws IllegalStateException if the segment cannot be mapped (its context has closed, say)
     */
    static ShmSegment get(Path path, int kind) {
        ShmSegment segment = MAPPED.get(path);
        if (segment != null) {
            return segment;
        }
        return MAPPED.computeIfAbsent(path, p -> open(p, kind));
    }

    /**
     * Maps a segment whatever the calling thread's interrupt status. A {@code FileChannel} closes itself when its
     * thread is interrupted, so an interrupt meant for the wait that follows (a {@code Connection.wait} stopping its
     * helpers, say) would make the mapping fail: mapping is not a wait, so it is finished, and the interrupt is kept
     * for the caller's next wait to see. Not remembered: for segments that a caller maps and drops itself.
     *
     * @throws IllegalStateException if the segment cannot be mapped (it is gone, say)
     */
    static ShmSegment open(Path path, int kind) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return ShmSegment.open(path, kind);
                } catch (ClosedByInterruptException e) {
                    interrupted = true;
                    Thread.interrupted(); // cleared for the next try; restored below
                } catch (IOException e) {
                    throw new IllegalStateException("cannot map the shared object's segment: " + e.getMessage(), e);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
