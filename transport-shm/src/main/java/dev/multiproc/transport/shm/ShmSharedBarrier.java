package dev.multiproc.transport.shm;

import static dev.multiproc.transport.shm.ShmSegment.LONGS;

import dev.multiproc.BarrierAction;
import dev.multiproc.SharedBarrier;
import java.io.Serial;
import java.nio.ByteBuffer;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link SharedBarrier} in shared memory: a state word that every party watches, and one slot per arrival index
 * naming the process that holds it, so that a dead party is found. An arrival is two compare-and-sets (its slot, then
 * the state word); the last arrival's one CAS moves the generation on, which releases every waiter at once; waiters
 * spin, yield and park (a {@link ShmIdleStrategy} whose parks are short) until the generation moves or the barrier
 * breaks. Nothing goes through the parent.
 *
 * <p>Layout: the state word (long, offset 0): the number of parties counted in this generation (bits 0-23), the
 * flags BROKEN, RESETTING and ACTION (bits 24-26), the generation (bits 32-63). Why the barrier broke (long, offset
 * 8): a reason code and the pid it concerns. From the second cell on, one long per arrival index: the generation in
 * the high half and the pid of the party that took the index in the low half (0 once it has left).
 *
 * <p>The rules:
 * <ul>
 * <li>An arrival first takes the slot of index {@code count} (CAS from any other generation's value, or from a dead
 *     process's claim), then counts itself (CAS {@code count -> count + 1}); if the count moved meanwhile it gives
 *     the slot back and tries again. So every counted party's slot names it, with no window in which a party is
 *     counted but unnamed; the last arrival of a barrier without an action needs no slot (it releases everyone in
 *     the same CAS).</li>
 * <li>A trip is one CAS to {@code (generation + 1, count 0, no flags)}. A waiter of generation g that sees another
 *     generation was released: the generation moves only by a trip, or by a reset once every waiter of g has left,
 *     so the next trip's arrivals are never mistaken for late ones.</li>
 * <li>With an action, the last arrival sets ACTION with its count, runs the action, then trips (or, if the action
 *     threw, breaks). While ACTION is set the trip is decided: waiters' timeouts and interrupts do not break it, and
 *     arrivals, {@code abort} and {@code reset} wait, as they wait for {@code CyclicBarrier}'s lock.</li>
 * <li>A break sets BROKEN and keeps the generation and count; waiters leave, each clearing its slot. A reset sets
 *     RESETTING too (the barrier is then not broken for {@link #isBroken()}, but arrivals wait), and whoever sees
 *     the last slot of the generation cleared moves the generation on, with the flags cleared: Python's
 *     "resetting" state.</li>
 * <li>Crash safety: every waiting party checks, every {@value #CHECK_MILLIS} ms once it parks, whether the processes
 *     in the generation's slots still run. A dead waiter breaks the barrier (a dead action runner too); its slot is
 *     cleared for it, so a reset completes.</li>
 * </ul>
 *
 * <p>Memory order: every access to the state word and the slots is volatile (CAS or volatile read), so what a party
 * wrote before it arrived, and what the action wrote, is seen by every party released by that trip.
 */
final class ShmSharedBarrier extends ShmCellHandle implements SharedBarrier {
    @Serial
    private static final long serialVersionUID = 1L;
    /** The most parties a native barrier has; more go through the hub (their slots would not fit a segment). */
    static final int MAX_PARTIES = 4096;
    private static final long COUNT_MASK = 0xff_ffffL;
    private static final long BROKEN = 1L << 24;
    private static final long RESETTING = 1L << 25;
    private static final long ACTION = 1L << 26;
    private static final int REASON_OFFSET = 8;
    private static final int ABORTED = 1;
    private static final int TIMED_OUT = 2;
    private static final int INTERRUPTED = 3;
    private static final int ACTION_THREW = 4;
    private static final int WAITER_DIED = 5;
    private static final int RUNNER_DIED = 6;
    private static final long PID = ProcessHandle.current().pid();
    private static final long CHECK_MILLIS = 20;
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    /**
     * With more parties than cores, some party that has yet to arrive needs the core a waiter would spin on: waiters
     * then spin a little and yield a lot. Measured on two cores: a barrier of four processes took 11 µs per
     * generation this way and 26-33 µs with the default strategy's spins; one of two processes spins best (1-6 µs).
     */
    private static final int OVERSUBSCRIBED_SPINS = 20;
    private static final int OVERSUBSCRIBED_YIELDS = 500;
    /** Spins on an index another party is taking before asking whether that party's process still runs. */
    private static final int CONTENDED_SPINS = 10_000;
    /** Waiters park at most this long: a barrier trips far more often than a channel wakes up. */
    private static final long MAX_PARK_NANOS = 200_000L;

    private final int parties;
    /** Run by the last party to arrive, or null. */
    private final BarrierAction action;
    /** The timeout of {@link #await()} in nanoseconds, or -1 for none. */
    private final long timeoutNanos;

    /**
     * @param cell the first of {@link #cells(int)} cells side by side, zeroed
     * @param parties how many parties trip it, 1 to {@link #MAX_PARTIES}
     * @param action run by the last party, or null
     * @param timeoutNanos the timeout of {@link #await()}, or -1 for none
     */
    ShmSharedBarrier(ShmCells.Cell cell, int parties, BarrierAction action, long timeoutNanos) {
        super(cell);
        this.parties = parties;
        this.action = action;
        this.timeoutNanos = timeoutNanos;
    }

    /** @return how many cells a barrier of {@code parties} needs: the state's, then the slots' */
    static int cells(int parties) {
        return 1 + (parties * Long.BYTES + ShmCells.CELL_LENGTH - 1) / ShmCells.CELL_LENGTH;
    }

    @Override
    int extent() {
        return cells(parties) * ShmCells.CELL_LENGTH;
    }

    @Override
    public int await() throws InterruptedException, BrokenBarrierException {
        try {
            return arrive(timeoutNanos < 0 ? Long.MAX_VALUE : deadline(timeoutNanos, TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            // Python's wait() without a timeout of its own breaks the barrier and raises BrokenBarrierError
            BrokenBarrierException broken = new BrokenBarrierException(this + ": this party waited longer than the"
                    + " barrier's timeout of " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms; the barrier is"
                    + " now broken");
            broken.initCause(e);
            throw broken;
        }
    }

    @Override
    public int await(long timeout, TimeUnit unit) throws InterruptedException, BrokenBarrierException,
            TimeoutException {
        return arrive(deadline(timeout, unit));
    }

    private int arrive(long deadline) throws InterruptedException, BrokenBarrierException, TimeoutException {
        if (Thread.interrupted()) {
            breakAfterAction(INTERRUPTED);
            throw new InterruptedException("interrupted on arrival at " + this + ", which is now broken");
        }
        ByteBuffer memory = cells();
        Waiting entering = null;
        int contended = 0;
        while (true) {
            long word = (long) LONGS.getVolatile(memory, offset);
            if ((word & (BROKEN | RESETTING)) == BROKEN) {
                throw broken(memory, word);
            }
            int count = count(word);
            if ((word & (RESETTING | ACTION)) != 0 || count >= parties) {
                // a reset waits for the broken generation's waiters to leave; an action holds its trip
                if (entering == null) {
                    entering = new Waiting(memory, true);
                }
                if (entering.expired(deadline) && (word & ACTION) == 0) {
                    breakAfterAction(TIMED_OUT);
                    throw timedOut();
                }
                if (Thread.interrupted()) {
                    breakAfterAction(INTERRUPTED);
                    throw new InterruptedException("interrupted on arrival at " + this + ", which is now broken");
                }
                memory = entering.pause();
                continue;
            }
            int generation = generation(word);
            if (count + 1 == parties && action == null) {
                if (LONGS.compareAndSet(memory, offset, word, next(generation))) {
                    return count;
                }
                continue;
            }
            int slot = slot(count);
            long claim = (long) LONGS.getVolatile(memory, slot);
            if (generation(claim) == generation && pid(claim) != 0) {
                // another party is taking this index, and its count comes next; only if it does not come for a while
                // may that party have died between the two (asking is a system call: not on the fast path)
                if (++contended < CONTENDED_SPINS || pid(claim) == PID || ShmDirectory.running(pid(claim))) {
                    Thread.onSpinWait();
                    continue;
                }
            }
            long mine = slotValue(generation, PID);
            if (!LONGS.compareAndSet(memory, slot, claim, mine)) {
                continue;
            }
            long arrived = count + 1 == parties ? (word + 1) | ACTION : word + 1;
            if (!LONGS.compareAndSet(memory, offset, word, arrived)) {
                LONGS.compareAndSet(memory, slot, mine, claim); // give the index back
                continue;
            }
            if ((arrived & ACTION) != 0) {
                runAction(memory, generation, count);
                return count;
            }
            return awaitTrip(memory, generation, count, deadline);
        }
    }

    /** Waits, as the party of arrival index {@code index}, until generation {@code generation} trips or breaks. */
    private int awaitTrip(ByteBuffer memory, int generation, int index, long deadline)
            throws InterruptedException, BrokenBarrierException, TimeoutException {
        Waiting waiting = new Waiting(memory, false);
        boolean interrupted = false;
        try {
            while (true) {
                long word = (long) LONGS.getVolatile(waiting.memory, offset);
                if (generation(word) != generation) {
                    return index;
                }
                if ((word & BROKEN) != 0) {
                    leave(waiting.memory, generation, index);
                    throw broken(waiting.memory, word);
                }
                boolean decided = (word & ACTION) != 0; // timeouts and interrupts no longer break it
                if (!decided && waiting.expired(deadline)) {
                    if (breakBy(waiting.memory, generation, TIMED_OUT)) {
                        leave(waiting.memory, generation, index);
                        throw timedOut();
                    }
                    continue; // tripped or broken meanwhile: the next look says which
                }
                if (Thread.interrupted()) {
                    if (!decided && breakBy(waiting.memory, generation, INTERRUPTED)) {
                        leave(waiting.memory, generation, index);
                        throw new InterruptedException("interrupted while waiting at " + this + ", which is now"
                                + " broken");
                    }
                    interrupted = true; // released with the others, with the flag set, as CyclicBarrier does
                    continue;
                }
                waiting.pause();
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs the action as the last party of {@code generation}, then trips the barrier, or breaks it if it threw. */
    private void runAction(ByteBuffer memory, int generation, int index) {
        Throwable failure = null;
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        while (true) {
            long word = (long) LONGS.getVolatile(memory, offset);
            if (generation(word) != generation || (word & ACTION) == 0) {
                break; // cannot happen while this process runs: only a dead runner's action is taken from it
            }
            long after = failure == null ? next(generation) : (word | BROKEN) & ~ACTION;
            if (LONGS.compareAndSet(memory, offset, word, after)) {
                if (failure != null) {
                    setReason(memory, ACTION_THREW, PID);
                }
                break;
            }
        }
        if (failure != null) {
            leave(memory, generation, index);
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            throw (Error) failure;
        }
    }

    @Override
    public void abort() {
        breakAfterAction(ABORTED);
    }

    /** Breaks the barrier (an abort takes a reset's place), once an action that runs now is done. */
    private void breakAfterAction(int reason) {
        ByteBuffer memory = cells();
        while (true) {
            long word = wordWithoutAction(memory);
            if ((word & (BROKEN | RESETTING)) == BROKEN) {
                return;
            }
            if (LONGS.compareAndSet(memory, offset, word, (word | BROKEN) & ~RESETTING)) {
                setReason(memory, reason, PID);
                return;
            }
        }
    }

    @Override
    public void reset() {
        ByteBuffer memory = cells();
        while (true) {
            long word = wordWithoutAction(memory);
            if ((word & RESETTING) != 0 || ((word & BROKEN) == 0 && count(word) == 0)) {
                return; // being reset already, or nobody to send away
            }
            if (LONGS.compareAndSet(memory, offset, word, word | BROKEN | RESETTING)) {
                recoverDead(memory); // which completes the reset once no slot of the generation is held
                return;
            }
        }
    }

    /**
     * @return the state word once no action runs: abort and reset wait for a running action, as they wait for
     *         {@code CyclicBarrier}'s lock (a dead runner's action is ended by breaking the barrier)
     */
    private long wordWithoutAction(ByteBuffer memory) {
        Waiting waiting = null;
        while (true) {
            long word = (long) LONGS.getVolatile(memory, offset);
            if ((word & ACTION) == 0) {
                return word;
            }
            waiting = waiting != null ? waiting : new Waiting(memory, true);
            waiting.pause();
        }
    }

    @Override
    public boolean isBroken() {
        return ((long) LONGS.getVolatile(cells(), offset) & (BROKEN | RESETTING)) == BROKEN;
    }

    @Override
    public int getParties() {
        return parties;
    }

    @Override
    public int getNumberWaiting() {
        long word = (long) LONGS.getVolatile(cells(), offset);
        return (word & BROKEN) != 0 ? 0 : count(word);
    }

    /** Breaks generation {@code generation}, unless it tripped, broke or runs its action already. */
    private boolean breakBy(ByteBuffer memory, int generation, int reason) {
        while (true) {
            long word = (long) LONGS.getVolatile(memory, offset);
            if (generation(word) != generation || (word & (BROKEN | ACTION)) != 0) {
                return false;
            }
            if (LONGS.compareAndSet(memory, offset, word, word | BROKEN)) {
                setReason(memory, reason, PID);
                return true;
            }
        }
    }

    /** A party of a broken generation leaves: it clears its slot, and completes a reset if it was the last. */
    private void leave(ByteBuffer memory, int generation, int index) {
        LONGS.compareAndSet(memory, slot(index), slotValue(generation, PID), slotValue(generation, 0));
        completeReset(memory);
    }

    /**
     * Breaks the barrier for a dead waiter of this generation (or a dead action runner), and clears the slots of
     * dead parties of a broken generation, so that a reset completes.
     */
    private void recoverDead(ByteBuffer memory) {
        long word = (long) LONGS.getVolatile(memory, offset);
        int generation = generation(word);
        int counted = Math.min(count(word), parties);
        for (int index = 0; index < counted; index++) {
            long claim = (long) LONGS.getVolatile(memory, slot(index));
            long pid = pid(claim);
            if (generation(claim) != generation || pid == 0 || pid == PID || ShmDirectory.running(pid)) {
                continue;
            }
            if ((word & BROKEN) == 0) {
                boolean runner = index == parties - 1;
                if ((word & ACTION) != 0 && !runner) {
                    continue; // the trip is decided; a dead waiter is released with the others
                }
                long broken = (word | BROKEN) & ~ACTION;
                if (!LONGS.compareAndSet(memory, offset, word, broken)) {
                    return; // the barrier moved: look again at the next check
                }
                setReason(memory, runner && (word & ACTION) != 0 ? RUNNER_DIED : WAITER_DIED, pid);
                word = broken;
            }
            LONGS.compareAndSet(memory, slot(index), claim, slotValue(generation, 0));
        }
        completeReset(memory);
    }

    /** Moves a barrier being reset on to a fresh generation once none of its broken generation's slots is held. */
    private void completeReset(ByteBuffer memory) {
        long word = (long) LONGS.getVolatile(memory, offset);
        if ((word & (BROKEN | RESETTING)) != (BROKEN | RESETTING)) {
            return;
        }
        int generation = generation(word);
        int counted = Math.min(count(word), parties);
        for (int index = 0; index < counted; index++) {
            long claim = (long) LONGS.getVolatile(memory, slot(index));
            if (generation(claim) == generation && pid(claim) != 0) {
                return;
            }
        }
        LONGS.setVolatile(memory, offset + REASON_OFFSET, 0L);
        LONGS.compareAndSet(memory, offset, word, next(generation));
    }

    private void setReason(ByteBuffer memory, int code, long pid) {
        LONGS.setVolatile(memory, offset + REASON_OFFSET, pid << 8 | code);
    }

    private BrokenBarrierException broken(ByteBuffer memory, long word) {
        if ((word & RESETTING) != 0) {
            return new BrokenBarrierException(this + ": the barrier is broken: it was reset while they waited");
        }
        long reason = 0;
        for (int spins = 0; spins < 10_000 && reason == 0; spins++) {
            reason = (long) LONGS.getVolatile(memory, offset + REASON_OFFSET); // set just after the break
            Thread.onSpinWait();
        }
        long pid = reason >>> 8;
        String why = switch ((int) (reason & 0xff)) {
            case ABORTED -> "it was aborted (by process " + pid + ")";
            case TIMED_OUT -> "a party (process " + pid + ") waited longer than its timeout";
            case INTERRUPTED -> "a waiting party (process " + pid + ") was interrupted";
            case ACTION_THREW -> "the barrier action threw in process " + pid;
            case WAITER_DIED -> "the process of a waiting party (" + pid + ") died";
            case RUNNER_DIED -> "the process running the barrier action (" + pid + ") died";
            default -> "it was broken";
        };
        return new BrokenBarrierException(this + ": the barrier is broken: " + why);
    }

    private TimeoutException timedOut() {
        return new TimeoutException(this + ": the other parties did not all arrive in time; the barrier is now"
                + " broken");
    }

    private int slot(int index) {
        return offset + ShmCells.CELL_LENGTH + index * Long.BYTES;
    }

    private static int count(long word) {
        return (int) (word & COUNT_MASK);
    }

    private static int generation(long word) {
        return (int) (word >>> 32);
    }

    private static long pid(long claim) {
        return claim & 0xffff_ffffL;
    }

    private static long slotValue(int generation, long pid) {
        return (long) generation << 32 | pid;
    }

    /** @return the state word of a fresh generation after {@code generation}: no party counted, no flag */
    private static long next(int generation) {
        return (long) (generation + 1) << 32;
    }

    @Override
    public String toString() {
        return "SharedBarrier[" + where() + ", " + parties + " parties]";
    }

    /** One thread's wait on the barrier: its idle strategy, and when it next checks for dead parties. */
    private final class Waiting {
        private final ShmIdleStrategy idle = parties <= CORES ? new ShmIdleStrategy(MAX_PARK_NANOS)
                : new ShmIdleStrategy(MAX_PARK_NANOS, OVERSUBSCRIBED_SPINS, OVERSUBSCRIBED_YIELDS);
        /** The mapping, refreshed at each check (which fails once the context has closed). */
        ByteBuffer memory;
        private long nextCheck;

        /** @param checkNow whether the first pause checks for dead parties (a wait to enter: they may be why) */
        Waiting(ByteBuffer memory, boolean checkNow) {
            this.memory = memory;
            this.nextCheck = System.nanoTime() + (checkNow ? 0 : TimeUnit.MILLISECONDS.toNanos(CHECK_MILLIS));
        }

        boolean expired(long deadline) {
            return deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0;
        }

        /** Pauses a little; now and then, clears dead parties and checks the context is open. */
        ByteBuffer pause() {
            long now = System.nanoTime();
            if (now - nextCheck >= 0) {
                nextCheck = now + TimeUnit.MILLISECONDS.toNanos(CHECK_MILLIS);
                memory = cells();
                recoverDead(memory);
            }
            idle.idle();
            return memory;
        }
    }
}
