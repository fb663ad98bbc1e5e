package dev.multiproc.transport.pipe.broken;

import dev.multiproc.SharedEvent;
import dev.multiproc.SharedSemaphore;
import dev.multiproc.spi.NativePrimitives;
import java.io.Serial;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The pipe transport with "native" semaphores and events that are not shared: each process that gets one has a
 * fresh one of its own. For testing the tck itself: the semaphore and event contracts must tell.
 */
public final class UnsharedSyncTransport extends PipeWithNatives {

    /** A semaphore whose permits stay in the process that released them. */
    static final class UnsharedSemaphore implements SharedSemaphore {
        @Serial
        private static final long serialVersionUID = 1L;
        private final int initial;
        private transient Semaphore local;

        UnsharedSemaphore(int initial) {
            this.initial = initial;
        }

        private synchronized Semaphore local() {
            if (local == null) {
                local = new Semaphore(initial);
            }
            return local;
        }

        @Override
        public void acquire() throws InterruptedException {
            local().acquire();
        }

        @Override
        public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
            return local().tryAcquire(timeout, unit);
        }

        @Override
        public boolean tryAcquire() {
            return local().tryAcquire();
        }

        @Override
        public void release() {
            local().release();
        }

        @Override
        public int availablePermits() {
            return local().availablePermits();
        }
    }

    /** An event whose flag stays in the process that set it. */
    static final class UnsharedEvent implements SharedEvent {
        @Serial
        private static final long serialVersionUID = 1L;
        private transient boolean flag;

        @Override
        public synchronized void set() {
            flag = true;
            notifyAll();
        }

        @Override
        public synchronized void clear() {
            flag = false;
        }

        @Override
        public synchronized boolean isSet() {
            return flag;
        }

        @Override
        public synchronized void await() throws InterruptedException {
            while (!flag) {
                wait();
            }
        }

        @Override
        public synchronized boolean await(long timeout, TimeUnit unit) throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (!flag) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }

    @Override
    public String name() {
        return "broken-sync-unshared";
    }

    @Override
    NativePrimitives natives() {
        return new NativePrimitives() {
            @Override
            public Optional<SharedSemaphore> semaphore(int permits) {
                return Optional.of(new UnsharedSemaphore(permits));
            }

            @Override
            public Optional<SharedEvent> event() {
                return Optional.of(new UnsharedEvent());
            }
        };
    }
}
