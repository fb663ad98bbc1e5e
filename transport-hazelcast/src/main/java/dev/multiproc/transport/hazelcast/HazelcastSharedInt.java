package dev.multiproc.transport.hazelcast;

import dev.multiproc.SharedInt;
import java.io.Serial;

/** A {@link SharedInt} in its context's cluster ({@link HazelcastCell}). Thread- and process-safe. */
final class HazelcastSharedInt extends HazelcastCell implements SharedInt {
    @Serial
    private static final long serialVersionUID = 1L;

    HazelcastSharedInt(String contextId, String key, int initialValue) {
        super(contextId, key, initialValue);
    }

    @Override
    public int get() {
        return (int) read();
    }

    @Override
    public void set(int newValue) {
        write(newValue);
    }

    @Override
    public int getAndSet(int newValue) {
        return (int) getAndUpdate(ignored -> newValue);
    }

    @Override
    public int getAndAdd(int delta) {
        return (int) getAndUpdate(value -> (int) (value + delta));
    }

    @Override
    public boolean compareAndSet(int expectedValue, int newValue) {
        return compareAndSetValue(expectedValue, newValue);
    }

    @Override
    public String toString() {
        return "SharedInt[" + where() + "]";
    }
}
