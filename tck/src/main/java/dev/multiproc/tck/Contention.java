package dev.multiproc.tck;

import dev.multiproc.SharedInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What makes the tck's contention tests contend, run inside the contending children. Parties meet at a start
 * barrier on a shared int, and after each turn a party waits until another party has taken a turn (or every other
 * party has finished). Neither a lock nor an atomic has to be fair, and on two cores an unfair one lets a process
 * run its whole loop in one burst while the others start: then a lock that excluded nothing would pass too. Pacing
 * by turns makes every turn contend with the others, whatever the scheduler and the lock do, and the tests count
 * the handovers they saw to prove it.
 */
final class Contention {
    /** How long a party waits for another's turn before it goes on anyway (the test's own checks then decide). */
    private static final long TURN_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private Contention() {
    }

    /**
     * The shared counters of a run of parties taking paced turns (see {@link #takeCountedTurns}).
     *
     * @param arrived the start barrier's count
     * @param turn the number of the party that took the last turn
     * @param finished how many parties have finished
     * @param interleaved how many turns, over all parties, found that another party had moved the counter since
     * @serial exclude
     */
    @SuppressWarnings("InvalidBlockTag") // "@serial exclude" keeps JDK 17's javadoc from asking about the fields
    record Turns(SharedInt arrived, SharedInt turn, SharedInt finished, SharedInt interleaved)
            implements java.io.Serializable {
        /** @return fresh counters, all 0, of {@code context} */
        static Turns of(dev.multiproc.Context context) {
            return new Turns(context.sharedInt(0), context.sharedInt(0), context.sharedInt(0), context.sharedInt(0));
        }
    }

    /**
     * In a party: after the start barrier, {@code rounds} turns of {@code step}, which moves a shared counter on by
     * one and returns its new value; after each turn the party waits for another party's turn (see
     * {@link #awaitAnotherTurn}), and it counts in {@code turns.interleaved()} the turns whose counter had moved on
     * by more than its own step since its previous turn: evidence that the parties really ran at the same time.
     *
     * @param turns the run's shared counters
     * @param parties how many parties take part
     * @param me this party's number, from 1
     * @param rounds how many turns
     * @param step one turn
     */
    static void takeCountedTurns(Turns turns, int parties, int me, int rounds, java.util.function.IntSupplier step) {
        startTogether(turns.arrived(), parties);
        int previous = -1;
        int jumps = 0;
        for (int i = 0; i < rounds; i++) {
            int now = step.getAsInt();
            if (previous >= 0 && now != previous + 1) {
                jumps++;
            }
            previous = now;
            turns.turn().set(me);
            awaitAnotherTurn(turns.turn(), me, turns.finished(), parties);
        }
        turns.finished().incrementAndGet();
        turns.interleaved().addAndGet(jumps);
    }

    /**
     * Arrives at the start barrier, then waits until all {@code parties} have.
     *
     * @param arrived the barrier's count, 0 before anyone arrives
     * @param parties how many parties meet there
     */
    static void startTogether(SharedInt arrived, int parties) {
        arrived.incrementAndGet();
        long spins = 0;
        while (arrived.get() < parties) {
            pause(spins++);
        }
    }

    /**
     * Waits until {@code turn} no longer holds {@code mine} (another party has taken a turn since), or until every
     * other party has finished, or at most a few seconds.
     *
     * @param turn the shared int a party sets to its own number when it takes its turn
     * @param mine the value this party left in {@code turn}
     * @param finished how many parties have finished their loops
     * @param parties how many parties there are
     */
    static void awaitAnotherTurn(SharedInt turn, int mine, SharedInt finished, int parties) {
        long deadline = System.nanoTime() + TURN_WAIT_NANOS;
        long spins = 0;
        while (turn.get() == mine && finished.get() < parties - 1 && System.nanoTime() - deadline < 0) {
            pause(spins++);
        }
    }

    /** Spins, then yields, then parks briefly: cheap when the other party is running, fair when it needs the CPU. */
    static void pause(long spins) {
        if (spins < 64) {
            Thread.onSpinWait();
        } else if (spins < 256) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(50_000);
        }
    }
}
