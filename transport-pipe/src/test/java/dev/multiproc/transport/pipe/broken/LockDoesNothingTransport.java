package dev.multiproc.transport.pipe.broken;

import dev.multiproc.SharedLock;
import dev.multiproc.spi.NativePrimitives;
import java.io.Serial;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The pipe transport with a "native" lock that excludes nothing, for testing the tck itself: a lock contract that
 * passes on it is not checking anything.
 */
public final class LockDoesNothingTransport extends PipeWithNatives {

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
    NativePrimitives natives() {
        return new NativePrimitives() {
            @Override
            public Optional<SharedLock> lock(boolean reentrant) {
                return Optional.of(new NoLock());
            }
        };
    }
}
