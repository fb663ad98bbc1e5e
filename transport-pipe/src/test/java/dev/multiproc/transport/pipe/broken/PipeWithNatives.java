package dev.multiproc.transport.pipe.broken;

import dev.multiproc.spi.ChildAttachment;
import dev.multiproc.spi.ChildEndpoint;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.NativePrimitives;
import dev.multiproc.spi.ParentTransport;
import dev.multiproc.spi.Transport;
import dev.multiproc.spi.TransportConfig;
import dev.multiproc.transport.pipe.PipeTransport;
import java.io.IOException;

/** The pipe transport with "native" primitives of a broken kind, which a subclass gives, for testing the tck. */
abstract class PipeWithNatives implements Transport {
    private final PipeTransport pipe = new PipeTransport();

    /**
     * @return the broken primitives, used in place of the hub's where they give one; closed with the context if they
     *         are {@link AutoCloseable}
     */
    abstract NativePrimitives natives();

    @Override
    public int priority() {
        return -100; // never the default
    }

    @Override
    public boolean usesStandardStreams() {
        return true;
    }

    @Override
    public MessageChannel connect(ChildEndpoint endpoint) throws IOException {
        return pipe.connect(endpoint);
    }

    @Override
    public ParentTransport open(TransportConfig config) throws IOException {
        ParentTransport inner = pipe.open(config);
        NativePrimitives natives = natives();
        return new ParentTransport() {
            @Override
            public ChildAttachment prepare(String childId) throws IOException {
                return inner.prepare(childId);
            }

            @Override
            public NativePrimitives primitives() {
                return natives;
            }

            @Override
            public void close() {
                inner.close();
                if (natives instanceof AutoCloseable owned) {
                    try {
                        owned.close();
                    } catch (Exception e) {
                        throw new IllegalStateException("could not release the broken primitives", e);
                    }
                }
            }
        };
    }
}
