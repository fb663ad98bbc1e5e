package dev.multiproc.transport.shm;

import dev.multiproc.spi.ChildAttachment;
import dev.multiproc.spi.ChildEndpoint;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.NativePrimitives;
import dev.multiproc.spi.ParentTransport;
import dev.multiproc.spi.Transport;
import dev.multiproc.spi.TransportConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shm transport with a deliberate fault: its close leaves the context's files behind (and does everything else). Only for
 * {@link TckCatchesLeaksTest}, which requires the tck's ResourceContract to fail on it.
 */
public final class LeakyShmTransport implements Transport {
    private final ShmTransport real = new ShmTransport();

    /** Public for {@link java.util.ServiceLoader}. */
    public LeakyShmTransport() {
    }

    @Override
    public String name() {
        return "broken-leaks-segments";
    }

    @Override
    public int priority() {
        return -100;
    }

    @Override
    public ParentTransport open(TransportConfig config) throws IOException {
        ParentTransport parent = real.open(config);
        return new ParentTransport() {
            @Override
            public ChildAttachment prepare(String childId) throws IOException {
                return parent.prepare(childId);
            }

            @Override
            public NativePrimitives primitives() {
                return parent.primitives();
            }

            /**
             * The fault: everything closes (threads end, children go) but the context's files stay behind: the
             * real close deletes them, and this one puts files of the same names back.
             */
            @Override
            public void close() {
                String pid = "-" + ProcessHandle.current().pid() + "-";
                List<Path> ours;
                try (Stream<Path> files = Files.list(ShmDirectory.directoryOfThisProcess())) {
                    ours = files.filter(file -> file.getFileName().toString().startsWith("multiproc-")
                            && file.getFileName().toString().contains(pid)).toList();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                parent.close();
                try {
                    for (Path file : ours) {
                        if (!Files.exists(file)) {
                            Files.createFile(file);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    @Override
    public MessageChannel connect(ChildEndpoint endpoint) throws IOException {
        return real.connect(endpoint);
    }
}
