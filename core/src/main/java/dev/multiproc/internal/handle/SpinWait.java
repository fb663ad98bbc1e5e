package dev.multiproc.internal.handle;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A short busy wait before a thread parks. An answer that comes back within a round trip of the medium (a few to a
 * few tens of microseconds) then finds its caller running, instead of paying for a second wake-up (unpark, then the
 * scheduler running the parked thread) on top of the one the medium already costs. Bounded: at most
 * {@link #NANOS} of CPU per wait, then the caller parks as before. {@code -Dmultiproc.spinMicros=0} turns it off.
 */
final class SpinWait {
    /** How long a waiter spins before it parks. */
    static final long NANOS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("multiproc.spinMicros", 30));

    private SpinWait() {
    }

    /**
     * Spins until {@code done} is true or {@link #NANOS} pass.
     *
     * @return whether {@code done} became true
     */
    static boolean spinUntil(BooleanSupplier done) {
        if (done.getAsBoolean()) {
            return true;
        }
        if (NANOS <= 0) {
            return false;
        }
        long deadline = System.nanoTime() + NANOS;
        do {
            Thread.onSpinWait();
            if (done.getAsBoolean()) {
                return true;
            }
        } while (System.nanoTime() - deadline < 0);
        return false;
    }
}
