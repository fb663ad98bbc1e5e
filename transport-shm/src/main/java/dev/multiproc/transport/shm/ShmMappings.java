package dev.multiproc.transport.shm;

import java.io.IOException;
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
        return MAPPED.computeIfAbsent(path, p -> {
            try {
                return ShmSegment.open(p, kind);
            } catch (IOException e) {
                throw new IllegalStateException("cannot map the shared object's segment: " + e.getMessage(), e);
            }
        });
    }
}
