package dev.multiproc;

import java.io.Serializable;

/**
 * What a {@link SharedBarrier} runs once per trip, when its last party arrives and before any party is released:
 * the {@code action} of Python's {@code Barrier(parties, action)}, the {@code barrierAction} of
 * {@link java.util.concurrent.CyclicBarrier}. It runs in the process, and on the thread, of the last party to
 * arrive, which may be any process the barrier was passed to, so a lambda whose target type is
 * {@code BarrierAction} is serializable, and whatever it captures must be too.
 */
@FunctionalInterface
public interface BarrierAction extends Serializable {
    /**
     * Runs the action.
     *
     * @throws RuntimeException anything; the barrier is then broken (every other party's {@code await} throws
     *         {@link java.util.concurrent.BrokenBarrierException}) and the last party's {@code await} throws this
     *         exception, as {@code CyclicBarrier} does
     */
    void run();
}
