package dev.multiproc.transport.pipe.broken;

import dev.multiproc.spi.NativePrimitives;
import dev.multiproc.spi.NativeValue;
import java.io.IOException;
import java.io.Serial;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The pipe transport with native values that are shared (a file each, replaced whole by an atomic rename, so no
 * reader sees a torn value) but whose {@code getAndSet} is a get followed by a set: two processes that swap at once
 * both get the same value, and one of the values they set is never returned. For testing the tck itself: a value
 * contract that passes on it is not checking that getAndSet is atomic.
 */
public final class SplitGetAndSetValueTransport extends PipeWithNatives {

    /** A value in a file of the temporary directory, deleted when the JVM that made it exits. */
    static final class FileValue implements NativeValue {
        @Serial
        private static final long serialVersionUID = 1L;
        private final String path;

        FileValue(byte[] initial) {
            try {
                Path file = Files.createTempFile("multiproc-broken-value-", ".bin");
                file.toFile().deleteOnExit();
                this.path = file.toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            set(initial);
        }

        @Override
        public byte[] get() {
            try {
                return Files.readAllBytes(Paths.get(path));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void set(byte[] value) {
            try {
                Path file = Paths.get(path);
                Path next = Files.createTempFile(file.getParent(), "multiproc-broken-value-", ".next");
                Files.write(next, value);
                Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public byte[] getAndSet(byte[] value) {
            byte[] previous = get(); // the bug: another process may set between this get and the set
            set(value);
            return previous;
        }
    }

    @Override
    public String name() {
        return "broken-value-split-get-and-set";
    }

    @Override
    NativePrimitives natives() {
        return new NativePrimitives() {
            @Override
            public Optional<NativeValue> value(byte[] initial) {
                return Optional.of(new FileValue(initial));
            }

            @Override
            public long maxValueSize() {
                return Integer.MAX_VALUE;
            }
        };
    }
}
