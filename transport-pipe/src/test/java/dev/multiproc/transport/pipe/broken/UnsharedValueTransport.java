package dev.multiproc.transport.pipe.broken;

import dev.multiproc.spi.NativePrimitives;
import dev.multiproc.spi.NativeValue;
import java.io.Serial;
import java.util.Optional;

/**
 * The pipe transport with "native" values that are not shared: each process a value is deserialized in starts from
 * the initial bytes and keeps its own. For testing the tck itself: a value contract that passes on it is not
 * checking that processes share anything.
 */
public final class UnsharedValueTransport extends PipeWithNatives {

    /** A value private to each process: the initial bytes travel with it, later ones stay where they were set. */
    static final class UnsharedValue implements NativeValue {
        @Serial
        private static final long serialVersionUID = 1L;
        private byte[] bytes;

        UnsharedValue(byte[] initial) {
            this.bytes = initial.clone();
        }

        @Override
        public synchronized byte[] get() {
            return bytes.clone();
        }

        @Override
        public synchronized void set(byte[] value) {
            bytes = value.clone();
        }

        @Override
        public synchronized byte[] getAndSet(byte[] value) {
            byte[] previous = bytes;
            bytes = value.clone();
            return previous;
        }
    }

    @Override
    public String name() {
        return "broken-value-unshared";
    }

    @Override
    NativePrimitives natives() {
        return new NativePrimitives() {
            @Override
            public Optional<NativeValue> value(byte[] initial) {
                return Optional.of(new UnsharedValue(initial));
            }

            @Override
            public long maxValueSize() {
                return Integer.MAX_VALUE;
            }
        };
    }
}
