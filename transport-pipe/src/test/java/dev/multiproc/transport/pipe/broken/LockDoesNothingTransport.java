package dev.multiproc.transport.pipe.broken;

import dev.multiproc.SharedLock;
import dev.multiproc.spi.ChildAttachment;
import dev.multiproc.spi.ChildEndpoint;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.NativePrimitives;
import dev.multiproc.spi.ParentTransport;
import dev.multiproc.spi.Transport;
import dev.multiproc.spi.TransportConfig;
import dev.multiproc.transport.pipe.PipeTransport;
import java.io.IOException;
import java.io.Serial;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The pipe transport with a "native" lock that excludes nothing, for testing the tck itself: a lock contract that
 * passes on it is not checking anything.
 */
public final class LockDoesNothingTransport implements Transport {
    private final PipeTransport pipe = new PipeTransport();

    /** A lock whose every acquisition succeeds at once, in every process. */
    static final class NoLock implements SharedLock {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public void lock() {
        }

        @Override
        public void lockInterruptibly() {
        }

        @Override
        public boolean tryLock() {
            return true;
        }

        @Override
        public boolean tryLock(long timeout, TimeUnit unit) {
            return true;
        }

        @Override
        public void unlock() {
        }

        @Override
        public boolean isLocked() {
            return false;
        }

        @Override
        public boolean isReentrant() {
            return false;
        }

        @Override
        public int getHoldCount() {
            return 0;
        }
    }

    @Override
    public String name() {
        return "broken-lock-does-nothing";
    }

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
        return new ParentTransport() {
            @Override
            public ChildAttachment prepare(String childId) throws IOException {
                return inner.prepare(childId);
            }

            @Override
            public NativePrimitives primitives() {
                return new NativePrimitives() {
                    @Override
                    public Optional<SharedLock> lock(boolean reentrant) {
                        return Optional.of(new NoLock());
                    }
                };
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }
}
