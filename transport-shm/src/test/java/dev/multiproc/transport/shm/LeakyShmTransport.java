package dev.multiproc.transport.shm;

import dev.multiproc.spi.ChildAttachment;
import dev.multiproc.spi.ChildEndpoint;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.NativePrimitives;
import dev.multiproc.spi.ParentTransport;
import dev.multiproc.spi.Transport;
import dev.multiproc.spi.TransportConfig;
import java.io.IOException;

/**
 * The shm transport with a deliberate fault: its close forgets to delete anything. Only for
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

            @Override
            public void close() {
                // the fault: the cells, pipe and queue segments and the doorbell stay behind
            }
        };
    }

    @Override
    public MessageChannel connect(ChildEndpoint endpoint) throws IOException {
        return real.connect(endpoint);
    }
}
