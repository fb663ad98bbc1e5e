package dev.multiproc.transport.pipe.broken;

import dev.multiproc.spi.NativeJoinableQueue;
import dev.multiproc.spi.NativePrimitives;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The pipe transport with "native" joinable queues whose task count is wrong in one way (see
 * {@link FileJoinableQueue.Fault}), for testing the tck itself: the joinable-queue contract must tell. Each queue is a
 * directory under {@code java.io.tmpdir}, deleted when the context closes.
 */
public abstract class BrokenJoinableQueueTransport extends PipeWithNatives {
    private final FileJoinableQueue.Fault fault;

    BrokenJoinableQueueTransport(FileJoinableQueue.Fault fault) {
        this.fault = fault;
    }

    /** Counts per process. */
    public static final class CountsPerProcess extends BrokenJoinableQueueTransport {
        /** For the ServiceLoader. */
        public CountsPerProcess() {
            super(FileJoinableQueue.Fault.COUNT_PER_PROCESS);
        }

        @Override
        public String name() {
            return "broken-jq-per-process";
        }
    }

    /** Counts an element after it can be taken. */
    public static final class CountsAfterPut extends BrokenJoinableQueueTransport {
        /** For the ServiceLoader. */
        public CountsAfterPut() {
            super(FileJoinableQueue.Fault.COUNT_AFTER_PUT);
        }

        @Override
        public String name() {
            return "broken-jq-count-after-put";
        }
    }

    /** Makes the queues and deletes their directories when the context closes. */
    private static final class Queues implements NativePrimitives, AutoCloseable {
        private final FileJoinableQueue.Fault fault;
        private final List<Path> directories = new CopyOnWriteArrayList<>();

        Queues(FileJoinableQueue.Fault fault) {
            this.fault = fault;
        }

        @Override
        public Optional<NativeJoinableQueue> joinableQueue() {
            try {
                Path directory = Files.createTempDirectory("multiproc-broken-jq-");
                directories.add(directory);
                return Optional.of(new FileJoinableQueue(directory, fault));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            for (Path directory : directories) {
                try (Stream<Path> files = Files.walk(directory)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(file);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    @Override
    NativePrimitives natives() {
        return new Queues(fault);
    }
}
