package dev.multiproc;

import java.io.Serializable;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A barrier that a fixed number of parties, in any processes, wait at until all have arrived: Python's
 * {@code multiprocessing.Barrier(parties, action, timeout)}, shaped like {@link java.util.concurrent.CyclicBarrier}.
 * Made by {@link Context#barrier(int)} and its overloads. It is cyclic: once every party has arrived and been
 * released, the next {@code parties} arrivals meet again.
 *
 * <p><b>Arrival index.</b> {@link #await()} returns Python's index: 0 for the first party to arrive, {@code
 * parties - 1} for the last; every index is returned once per trip. ({@code CyclicBarrier} numbers the other way
 * round: its first arrival gets {@code parties - 1}.)
 *
 * <p><b>Action.</b> An optional {@link BarrierAction} runs once per trip, in the last party to arrive, before any
 * party is released. If it throws, the barrier breaks.
 *
 * <p><b>Broken state.</b> The barrier breaks, and every waiting party's {@code await} throws
 * {@link BrokenBarrierException}, when: a party's wait times out (that party gets {@link TimeoutException} from
 * {@link #await(long, TimeUnit)}, or {@code BrokenBarrierException} from {@link #await()} when the barrier's own
 * timeout ran out, as in Python); a waiting party is interrupted (it gets {@link InterruptedException}); the action
 * throws; {@link #abort()} is called; or the process of a waiting party, or of the party running the action, dies.
 * A broken barrier stays broken, and every later {@code await} throws at once, until {@link #reset()}. A dead
 * process therefore never wedges the others: they are told, as soon as the parent sees it gone.
 *
 * <p>Serializable: pass it to a child, and there it is the same barrier (with the same action and timeout).
 * Thread- and process-safe; the state lives in the parent process.
 */
public interface SharedBarrier extends Serializable {
    /**
     * Waits until every party has arrived (or the barrier's timeout, if it was made with one, runs out).
     *
     * @return this party's arrival index: 0 for the first to arrive, {@code getParties() - 1} for the last
     * @throws InterruptedException if interrupted while waiting; the barrier is then broken
     * @throws BrokenBarrierException if the barrier is or becomes broken while this party waits, including because
     *         this party waited longer than the barrier's timeout (the cause is then a {@link TimeoutException})
     */
    int await() throws InterruptedException, BrokenBarrierException;

    /**
     * Waits at most the given time until every party has arrived. This timeout replaces the barrier's own.
     *
     * @param timeout how long to wait
     * @param unit the unit of {@code timeout}
     * @return this party's arrival index: 0 for the first to arrive, {@code getParties() - 1} for the last
     * @throws InterruptedException if interrupted while waiting; the barrier is then broken
     * @throws BrokenBarrierException if the barrier is or becomes broken while this party waits
     * @throws TimeoutException if the time ran out; the barrier is then broken
     */
    int await(long timeout, TimeUnit unit) throws InterruptedException, BrokenBarrierException, TimeoutException;

    /**
     * Breaks the barrier: the parties waiting now, and every later {@code await} until {@link #reset()}, throw
     * {@link BrokenBarrierException} (Python's {@code abort()}). While the action runs, takes effect after it.
     */
    void abort();

    /**
     * Puts the barrier back in its initial state: the parties waiting now throw {@link BrokenBarrierException}, and
     * the next {@code parties} arrivals meet as usual; a broken barrier is usable again. While the action runs,
     * takes effect after it.
     */
    void reset();

    /**
     * @return true if the barrier is broken (see the class comment) and not reset since
     */
    boolean isBroken();

    /**
     * @return the number of parties that must arrive to trip the barrier
     */
    int getParties();

    /**
     * @return the number of parties waiting at the barrier now (Python's {@code n_waiting})
     */
    int getNumberWaiting();
}
