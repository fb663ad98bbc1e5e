package dev.multiproc.transport.shm;

import java.util.concurrent.locks.LockSupport;

/**
 * How a thread waits for shared memory to change: it spins briefly (the other process is likely about to answer),
 * then yields its core, then parks for a time that doubles up to a bound. A busy peer is thus seen within
 * microseconds, and an idle one costs a wake-up per {@code maxPark}: with the default bound of
 * {@value #DEFAULT_MAX_PARK_MICROS} µs, a context with four idle workers stays under 1% of a core. Not thread-safe:
 * one instance per waiting thread.
 */
final class ShmIdleStrategy {
    /** The default of {@link ShmTransport#MAX_PARK_MICROS}. */
    static final long DEFAULT_MAX_PARK_MICROS = 4000;

    private static final int SPINS = 200;
    private static final int YIELDS = 50;
    private static final long MIN_PARK_NANOS = 1_000;

    private final int maxSpins;
    private final int maxYields;
    private final long maxParkNanos;
    private int spins;
    private int yields;
    private long parkNanos = MIN_PARK_NANOS;

    /** A strategy for a wait on a handle that may have travelled from another process: this JVM's setting. */
    ShmIdleStrategy() {
        this(ShmTransport.Tuning.ofThisProcess().maxParkNanos());
    }

    ShmIdleStrategy(long maxParkNanos) {
        this(maxParkNanos, SPINS, YIELDS);
    }

    /**
     * @param maxParkNanos the longest park
     * @param spins how many times to spin before yielding: fewer where the waiter's peers need this core (more
     *        processes wait for each other than there are cores), so that they run sooner
     * @param yields how many times to yield before parking
     */
    ShmIdleStrategy(long maxParkNanos, int spins, int yields) {
        this.maxParkNanos = Math.max(MIN_PARK_NANOS, maxParkNanos);
        this.maxSpins = spins;
        this.maxYields = yields;
    }

    /** Waits a little, longer the more often it is called without a {@link #reset()}. */
    void idle() {
        if (spins < maxSpins) {
            spins++;
            Thread.onSpinWait();
        } else if (yields < maxYields) {
            yields++;
            Thread.yield();
        } else {
            LockSupport.parkNanos(parkNanos);
            parkNanos = Math.min(parkNanos << 1, maxParkNanos);
        }
    }

    /** Work was found: the next wait starts with spinning again. */
    void reset() {
        spins = 0;
        yields = 0;
        parkNanos = MIN_PARK_NANOS;
    }

    /** @return true once the strategy has reached parking, the phase in which slow checks are cheap enough */
    boolean isParking() {
        return yields >= maxYields;
    }
}
