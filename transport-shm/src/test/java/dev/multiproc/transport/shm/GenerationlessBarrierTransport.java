package dev.multiproc.transport.shm;

import dev.multiproc.BarrierAction;
import dev.multiproc.SharedBarrier;
import dev.multiproc.SharedEvent;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedLock;
import dev.multiproc.SharedLong;
import dev.multiproc.SharedSemaphore;
import dev.multiproc.spi.ChildAttachment;
import dev.multiproc.spi.ChildEndpoint;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.NativeBuffer;
import dev.multiproc.spi.NativePrimitives;
import dev.multiproc.spi.NativeQueue;
import dev.multiproc.spi.ParentTransport;
import dev.multiproc.spi.Transport;
import dev.multiproc.spi.TransportConfig;
import java.io.IOException;
import java.io.Serial;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The shm transport with a deliberate fault in its barrier: it has no generations. A waiter waits for the count of
 * arrivals to go back to 0, so when the last party of a trip arrives at the next trip before a waiter has looked, the
 * waiter never sees its release. Only for {@link TckCatchesBrokenBarrierTest}, which requires the tck's
 * BarrierContract to fail on it.
 */
public final class GenerationlessBarrierTransport implements Transport {
    private final ShmTransport real = new ShmTransport();

    /** Public for {@link java.util.ServiceLoader}. */
    public GenerationlessBarrierTransport() {
    }

    @Override
    public String name() {
        return "broken-generationless-barrier";
    }

    @Override
    public int priority() {
        return -100;
    }

    @Override
    public ParentTransport open(TransportConfig config) throws IOException {
        ParentTransport parent = real.open(config);
        NativePrimitives natives = parent.primitives();
        NativePrimitives broken = new NativePrimitives() {
            @Override
            public Optional<SharedInt> sharedInt(int initialValue) {
                return natives.sharedInt(initialValue);
            }

            @Override
            public Optional<SharedLong> sharedLong(long initialValue) {
                return natives.sharedLong(initialValue);
            }

            @Override
            public Optional<SharedLock> lock(boolean reentrant) {
                return natives.lock(reentrant);
            }

            @Override
            public Optional<SharedSemaphore> semaphore(int permits) {
                return natives.semaphore(permits);
            }

            @Override
            public Optional<SharedEvent> event() {
                return natives.event();
            }

            @Override
            public Optional<SharedBarrier> barrier(int parties, BarrierAction action, Duration timeout) {
                return Optional.of(new GenerationlessBarrier(natives.sharedLong(0).orElseThrow(), parties));
            }

            @Override
            public Optional<PipeEnds> pipe(boolean duplex) {
                return natives.pipe(duplex);
            }

            @Override
            public Optional<NativeQueue> queue(int capacity) {
                return natives.queue(capacity);
            }

            @Override
            public Optional<NativeBuffer> buffer(long size) {
                return natives.buffer(size);
            }

            @Override
            public long maxBufferSize() {
                return natives.maxBufferSize();
            }
        };
        return new ParentTransport() {
            @Override
            public ChildAttachment prepare(String childId) throws IOException {
                return parent.prepare(childId);
            }

            @Override
            public NativePrimitives primitives() {
                return broken;
            }

            @Override
            public void close() {
                parent.close();
            }
        };
    }

    @Override
    public MessageChannel connect(ChildEndpoint endpoint) throws IOException {
        return real.connect(endpoint);
    }

    /** The fault: no generation, so a release is only seen by a waiter that looks before the next arrival. */
    private static final class GenerationlessBarrier implements SharedBarrier {
        @Serial
        private static final long serialVersionUID = 1L;
        private final SharedLong count;
        private final int parties;

        GenerationlessBarrier(SharedLong count, int parties) {
            this.count = count;
            this.parties = parties;
        }

        @Override
        public int await() throws InterruptedException {
            try {
                return await(1, TimeUnit.DAYS);
            } catch (TimeoutException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int await(long timeout, TimeUnit unit) throws InterruptedException, TimeoutException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            int index = (int) count.getAndIncrement();
            if (index + 1 == parties) {
                count.set(0);
                return index;
            }
            while (count.get() != 0) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new TimeoutException("never saw the release (the generationless barrier's fault)");
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                LockSupport.parkNanos(50_000);
            }
            return index;
        }

        @Override
        public void abort() {
            count.set(0);
        }

        @Override
        public void reset() {
            count.set(0);
        }

        @Override
        public boolean isBroken() {
            return false;
        }

        @Override
        public int getParties() {
            return parties;
        }

        @Override
        public int getNumberWaiting() {
            return (int) count.get();
        }
    }
}
