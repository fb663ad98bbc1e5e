package dev.multiproc.transport.pipe.broken;

import dev.multiproc.SharedLock;
import dev.multiproc.spi.NativeBuffer;
import dev.multiproc.spi.NativePrimitives;
import java.io.Serial;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The pipe transport with "native" buffers that are not shared: each process that uses one gets zeroed memory of
 * its own. For testing the tck itself: a buffer contract that passes on it is not checking that processes share
 * anything.
 */
public final class UnsharedBufferTransport extends PipeWithNatives {

    /** A buffer of memory private to each process it is deserialized in. */
    static final class UnsharedBuffer implements NativeBuffer {
        @Serial
        private static final long serialVersionUID = 1L;
        private final long size;
        private transient ByteBuffer memory;

        UnsharedBuffer(long size) {
            this.size = size;
        }

        @Override
        public String name() {
            return "broken-buffer-unshared:" + System.identityHashCode(this);
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public synchronized ByteBuffer memory() {
            if (memory == null) {
                memory = ByteBuffer.allocateDirect((int) size);
            }
            return memory;
        }

        @Override
        public SharedLock lock() {
            return new LockDoesNothingTransport.NoLock();
        }
    }

    @Override
    public String name() {
        return "broken-buffer-unshared";
    }

    @Override
    NativePrimitives natives() {
        return new NativePrimitives() {
            @Override
            public Optional<NativeBuffer> buffer(long size) {
                return Optional.of(new UnsharedBuffer(size));
            }

            @Override
            public long maxBufferSize() {
                return Integer.MAX_VALUE;
            }
        };
    }
}
