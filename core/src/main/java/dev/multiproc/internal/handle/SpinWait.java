package dev.multiproc.internal.handle;

import java.util.function.BooleanSupplier;

/**
 * A short busy wait before a thread parks. An answer that comes back within a round trip of the medium (a few to a
 * few tens of microseconds) then finds its caller running, instead of paying for a second wake-up (unpark, then the
 * scheduler running the parked thread) on top of the one the medium already costs. Bounded: at most
 * the context's {@link dev.multiproc.ContextOption#SPIN_MICROS} of CPU per wait, then the caller parks as before;
 * 0 turns it off.
 */
final class SpinWait {
    private SpinWait() {
    }

    /**
     * Spins until {@code done} is true or {@code nanos} pass.
     *
     * @return whether {@code done} became true
     */
    static boolean spinUntil(BooleanSupplier done, long nanos) {
        if (done.getAsBoolean()) {
            return true;
        }
        if (nanos <= 0) {
            return false;
        }
        long deadline = System.nanoTime() + nanos;
        do {
            Thread.onSpinWait();
            if (done.getAsBoolean()) {
                return true;
            }
        } while (System.nanoTime() - deadline < 0);
        return false;
    }
}
