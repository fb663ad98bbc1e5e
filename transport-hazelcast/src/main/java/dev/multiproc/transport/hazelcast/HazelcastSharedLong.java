package dev.multiproc.transport.hazelcast;

import dev.multiproc.SharedLong;
import java.io.Serial;

/** A {@link SharedLong} in its context's cluster ({@link HazelcastCell}). Thread- and process-safe. */
final class HazelcastSharedLong extends HazelcastCell implements SharedLong {
    @Serial
    private static final long serialVersionUID = 1L;

    HazelcastSharedLong(String contextId, String key, long initialValue) {
        super(contextId, key, initialValue);
    }

    @Override
    public long get() {
        return read();
    }

    @Override
    public void set(long newValue) {
        write(newValue);
    }

    @Override
    public long getAndSet(long newValue) {
        return getAndUpdate(ignored -> newValue);
    }

    @Override
    public long getAndAdd(long delta) {
        return getAndUpdate(value -> value + delta);
    }

    @Override
    public boolean compareAndSet(long expectedValue, long newValue) {
        return compareAndSetValue(expectedValue, newValue);
    }

    @Override
    public String toString() {
        return "SharedLong[" + where() + "]";
    }
}
