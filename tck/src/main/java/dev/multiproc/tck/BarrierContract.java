package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.BarrierAction;
import dev.multiproc.ChildProcess;
import dev.multiproc.Queue;
import dev.multiproc.SharedBarrier;
import dev.multiproc.SharedEvent;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedIntArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link SharedBarrier} across processes: parties of several processes meet and get every arrival
 * index once, the action runs once per trip before anyone is released, the barrier is reusable, and it breaks (for
 * every party, with {@link BrokenBarrierException}) on a timeout, an interrupt, a throwing action, {@code abort},
 * {@code reset} and the death of a waiting party's process or of the process running the action: nobody hangs.
 */
public abstract class BarrierContract extends TransportContract {
    private static final long LONG_WAIT_MILLIS = TckTimeouts.millis(30);

    /** For a transport's subclass, which JUnit instantiates. */
    protected BarrierContract() {
    }

    /**
     * In a child: arrives (counted in {@code arrived}) and waits at the barrier; then puts its arrival index into
     * {@code indices} and counts in {@code sawEveryone} whether every party had arrived by the time it was released.
     */
    static void meet(SharedBarrier barrier, SharedInt arrived, Queue<Integer> indices, SharedInt sawEveryone)
            throws Exception {
        arrived.incrementAndGet();
        int index = barrier.await(LONG_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        if (arrived.get() == barrier.getParties()) {
            sawEveryone.incrementAndGet();
        }
        indices.put(index);
    }

    /**
     * In a child: meets the others at {@code trips} trips in a row; after each, counts in {@code early} a release
     * that came before the trip's action had run.
     */
    static void meetRepeatedly(SharedBarrier barrier, int trips, SharedInt actions, SharedInt early,
            Queue<Integer> indices) throws Exception {
        for (int trip = 1; trip <= trips; trip++) {
            indices.put(barrier.await(LONG_WAIT_MILLIS, TimeUnit.MILLISECONDS));
            if (actions.get() < trip) {
                early.incrementAndGet();
            }
        }
    }

    /** In a child: waits at the barrier without a timeout, and counts in {@code broken} a BrokenBarrierException. */
    static void waitExpectingBreak(SharedBarrier barrier, SharedInt broken) throws InterruptedException {
        try {
            barrier.await();
        } catch (BrokenBarrierException e) {
            broken.incrementAndGet();
        }
    }

    /**
     * In a child: counts itself in {@code ready}, waits for {@code start}, then meets the others at {@code trips}
     * trips in a row as fast as it can, counting each arrival index it gets in {@code indices}; each wait lasts at
     * most {@code waitMillis}.
     */
    static void tripRepeatedly(SharedBarrier barrier, SharedInt ready, SharedEvent start, int trips,
            SharedIntArray indices, long waitMillis) throws Exception {
        ready.incrementAndGet();
        start.await();
        for (int trip = 0; trip < trips; trip++) {
            indices.incrementAndGet(barrier.await(waitMillis, TimeUnit.MILLISECONDS));
        }
    }

    /**
     * Three children, started together, meet at a barrier of three parties 200 times in a row without pause, so
     * the last party of one trip arrives at the next while the others are still being released: no party of one
     * trip is taken for one of the next (which would hand out an index twice in a trip, or leave a party waiting
     * for a trip that has gone by), every trip hands out the indices 0 to 2, and the barrier ends usable.
     */
    @Test
    public void tripsInQuickSuccessionStayApart() {
        within(90, "200 trips in quick succession", () -> {
            int parties = 3;
            int trips = 200;
            SharedBarrier barrier = context.barrier(parties);
            SharedInt ready = context.sharedInt(0);
            SharedEvent start = context.event();
            SharedIntArray indices = context.sharedIntArray(parties);
            long waitMillis = TckTimeouts.millis(10); // a trip takes milliseconds at most
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < parties; i++) {
                children.add(context.process(() -> tripRepeatedly(barrier, ready, start, trips, indices, waitMillis))
                        .start());
            }
            await(45, "the children ready", () -> ready.get() == parties);
            start.set();
            joinAll(children);
            assertEquals(List.of(trips, trips, trips), IntStream.of(indices.toArray()).boxed().toList(),
                    "how often each arrival index was handed out");
            assertEquals(0, barrier.getNumberWaiting());
            assertFalse(barrier.isBroken());
            return null;
        });
    }

    /**
     * Every party of a trip across three children and the parent is held until the last has arrived (none is
     * released while the parent, the last party, stays away, and each saw every party arrived once released), and
     * the four get the arrival indices 0 to 3, each once.
     */
    @Test
    public void partiesOfSeveralProcessesMeetAndGetEveryArrivalIndexOnce() {
        within(60, "four parties meeting", () -> {
            int parties = 4;
            SharedBarrier barrier = context.barrier(parties);
            assertEquals(parties, barrier.getParties());
            SharedInt arrived = context.sharedInt(0);
            SharedInt sawEveryone = context.sharedInt(0);
            Queue<Integer> indices = context.queue();
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < parties - 1; i++) {
                children.add(context.process(() -> meet(barrier, arrived, indices, sawEveryone)).start());
            }
            await(45, "three children waiting at the barrier", () -> barrier.getNumberWaiting() == parties - 1);
            assertEquals(parties - 1, arrived.get());
            assertEquals(0, indices.size(), "a party passed the barrier before every party had arrived");
            arrived.incrementAndGet();
            List<Integer> seen = new ArrayList<>();
            seen.add(barrier.await(LONG_WAIT_MILLIS, TimeUnit.MILLISECONDS));
            await(30, "the three children released", () -> indices.size() == parties - 1);
            for (int i = 0; i < parties - 1; i++) {
                // get with a deadline, not poll(): on shm a put counts in size() a moment before its element can
                // be taken
                seen.add(indices.get(TckTimeouts.millis(10), TimeUnit.MILLISECONDS));
            }
            joinAll(children);
            Collections.sort(seen);
            assertEquals(IntStream.range(0, parties).boxed().toList(), seen, "arrival indices");
            assertEquals(parties - 1, sawEveryone.get(), "children released before every party had arrived");
            assertEquals(0, barrier.getNumberWaiting());
            assertFalse(barrier.isBroken());
            return null;
        });
    }

    /**
     * Three children meet at the same barrier three times in a row: its action (run by whichever child arrives last)
     * runs exactly once per trip, before any party of that trip is released, and each trip hands out the indices
     * 0 to 2.
     */
    @Test
    public void theActionRunsOncePerTripBeforeAnyoneIsReleasedAndTheBarrierIsReusable() {
        within(60, "three trips with an action", () -> {
            int parties = 3;
            int trips = 3;
            SharedInt actions = context.sharedInt(0);
            BarrierAction countTrip = actions::incrementAndGet;
            SharedBarrier barrier = context.barrier(parties, countTrip);
            SharedInt early = context.sharedInt(0);
            Queue<Integer> indices = context.queue();
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < parties; i++) {
                children.add(context.process(() -> meetRepeatedly(barrier, trips, actions, early, indices)).start());
            }
            joinAll(children);
            assertEquals(trips, actions.get(), "times the action ran");
            assertEquals(0, early.get(), "parties released before their trip's action had run");
            List<Integer> seen = new ArrayList<>();
            while (indices.size() > 0) {
                seen.add(indices.get(LONG_WAIT_MILLIS, TimeUnit.MILLISECONDS));
            }
            Collections.sort(seen);
            assertEquals(List.of(0, 0, 0, 1, 1, 1, 2, 2, 2), seen, "arrival indices of three trips");
            assertFalse(barrier.isBroken());
            return null;
        });
    }

    /**
     * A party whose own timeout runs out gets TimeoutException and breaks the barrier: a child waiting without a
     * timeout gets BrokenBarrierException, and so does every later arrival. A barrier made with a timeout breaks
     * the same way in its untimed {@code await}, which throws BrokenBarrierException, as Python's does.
     */
    @Test
    public void aPartyThatTimesOutBreaksTheBarrierForEveryone() {
        within(60, "a timed-out party", () -> {
            SharedBarrier barrier = context.barrier(3);
            SharedInt broken = context.sharedInt(0);
            ChildProcess child = context.process(() -> waitExpectingBreak(barrier, broken)).start();
            await(45, "the child waiting at the barrier", () -> barrier.getNumberWaiting() == 1);
            assertThrows(TimeoutException.class, () -> barrier.await(100, TimeUnit.MILLISECONDS));
            joinAll(List.of(child));
            assertEquals(1, broken.get(), "the waiting child was not told the barrier broke");
            assertTrue(barrier.isBroken());
            assertThrows(BrokenBarrierException.class, () -> barrier.await(LONG_WAIT_MILLIS, TimeUnit.MILLISECONDS));

            SharedBarrier timed = context.barrier(2, null, 100, TimeUnit.MILLISECONDS);
            BrokenBarrierException thrown = assertThrows(BrokenBarrierException.class, timed::await);
            assertInstanceOf(TimeoutException.class, thrown.getCause(), "why the untimed await broke");
            assertTrue(timed.isBroken());
            return null;
        });
    }

    /**
     * {@code abort} breaks the barrier for a waiting child and for later arrivals; {@code reset} breaks it for a
     * waiting child too, and leaves it usable: afterwards a child and the parent meet at it.
     */
    @Test
    public void abortBreaksTheBarrierAndResetMakesItUsableAgain() {
        within(60, "abort and reset", () -> {
            SharedBarrier barrier = context.barrier(2);
            SharedInt broken = context.sharedInt(0);
            ChildProcess aborted = context.process(() -> waitExpectingBreak(barrier, broken)).start();
            await(45, "a child waiting at the barrier", () -> barrier.getNumberWaiting() == 1);
            barrier.abort();
            joinAll(List.of(aborted));
            assertEquals(1, broken.get(), "abort did not break the barrier for the waiting child");
            assertTrue(barrier.isBroken());
            assertThrows(BrokenBarrierException.class, () -> barrier.await(LONG_WAIT_MILLIS, TimeUnit.MILLISECONDS));

            barrier.reset();
            assertFalse(barrier.isBroken());
            ChildProcess reset = context.process(() -> waitExpectingBreak(barrier, broken)).start();
            await(45, "a child waiting at the barrier", () -> barrier.getNumberWaiting() == 1);
            barrier.reset();
            joinAll(List.of(reset));
            assertEquals(2, broken.get(), "reset did not break the barrier for the waiting child");
            assertFalse(barrier.isBroken(), "a reset barrier must be usable");

            SharedInt arrived = context.sharedInt(0);
            SharedInt sawEveryone = context.sharedInt(0);
            Queue<Integer> indices = context.queue();
            ChildProcess meeting = context.process(() -> meet(barrier, arrived, indices, sawEveryone)).start();
            await(45, "a child waiting at the barrier", () -> barrier.getNumberWaiting() == 1);
            arrived.incrementAndGet();
            assertEquals(1, barrier.await(LONG_WAIT_MILLIS, TimeUnit.MILLISECONDS));
            assertEquals(0, indices.get(LONG_WAIT_MILLIS, TimeUnit.MILLISECONDS));
            joinAll(List.of(meeting));
            return null;
        });
    }

    /**
     * A party interrupted while it waits throws InterruptedException and breaks the barrier for the others, as
     * {@code CyclicBarrier}'s does.
     */
    @Test
    public void anInterruptedPartyBreaksTheBarrier() {
        within(60, "an interrupted party", () -> {
            SharedBarrier barrier = context.barrier(3);
            SharedInt broken = context.sharedInt(0);
            ChildProcess child = context.process(() -> waitExpectingBreak(barrier, broken)).start();
            await(45, "the child waiting at the barrier", () -> barrier.getNumberWaiting() == 1);
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread party = new Thread(() -> {
                try {
                    barrier.await();
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            }, "barrier-party");
            party.start();
            await(20, "two parties waiting", () -> barrier.getNumberWaiting() == 2);
            party.interrupt();
            assertInstanceOf(InterruptedException.class, outcome.get(LONG_WAIT_MILLIS, TimeUnit.MILLISECONDS));
            joinAll(List.of(child));
            assertEquals(1, broken.get(), "the waiting child was not told the barrier broke");
            assertTrue(barrier.isBroken());
            return null;
        });
    }

    /**
     * An action that throws breaks the barrier: the party that ran it (the last to arrive) gets the action's
     * exception, the waiting child BrokenBarrierException.
     */
    @Test
    public void anActionThatThrowsBreaksTheBarrier() {
        within(60, "a throwing action", () -> {
            BarrierAction fails = () -> {
                throw new IllegalStateException("the action failed on purpose");
            };
            SharedBarrier barrier = context.barrier(2, fails);
            SharedInt broken = context.sharedInt(0);
            ChildProcess child = context.process(() -> waitExpectingBreak(barrier, broken)).start();
            await(45, "the child waiting at the barrier", () -> barrier.getNumberWaiting() == 1);
            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> barrier.await(LONG_WAIT_MILLIS, TimeUnit.MILLISECONDS));
            assertEquals("the action failed on purpose", thrown.getMessage());
            joinAll(List.of(child));
            assertEquals(1, broken.get(), "the waiting child was not told the barrier broke");
            assertTrue(barrier.isBroken());
            return null;
        });
    }

    /**
     * A party killed with SIGKILL while it waits breaks the barrier: the other waiting child is told, and the parent
     * arriving afterwards too; nobody hangs. The same when the process killed is the one running the action.
     */
    @Test
    public void aPartyKilledWhileWaitingOrRunningTheActionBreaksTheBarrier() {
        within(90, "a killed party", () -> {
            SharedBarrier barrier = context.barrier(3);
            SharedInt broken = context.sharedInt(0);
            ChildProcess victim = context.process(() -> waitExpectingBreak(barrier, broken)).start();
            ChildProcess survivor = context.process(() -> waitExpectingBreak(barrier, broken)).start();
            await(45, "two children waiting at the barrier", () -> barrier.getNumberWaiting() == 2);
            victim.kill();
            joinAll(List.of(survivor));
            assertEquals(1, broken.get(), "the surviving child was not told the barrier broke");
            assertTrue(barrier.isBroken());
            assertThrows(BrokenBarrierException.class, () -> barrier.await(LONG_WAIT_MILLIS, TimeUnit.MILLISECONDS));
            victim.join();
            assertEquals(137, victim.exitCode().getAsInt());

            SharedEvent running = context.event();
            BarrierAction hang = () -> {
                running.set();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            SharedBarrier withAction = context.barrier(2, hang);
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread party = new Thread(() -> {
                try {
                    withAction.await();
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            }, "barrier-party");
            party.start();
            await(20, "the parent's party waiting", () -> withAction.getNumberWaiting() == 1);
            ChildProcess runner = context.process(() -> waitExpectingBreak(withAction, broken)).start();
            assertTrue(running.await(LONG_WAIT_MILLIS, TimeUnit.MILLISECONDS), "the child did not run the action");
            runner.kill();
            assertInstanceOf(BrokenBarrierException.class, outcome.get(LONG_WAIT_MILLIS, TimeUnit.MILLISECONDS),
                    "the party waiting for a killed action runner");
            runner.join();
            assertEquals(137, runner.exitCode().getAsInt());
            return null;
        });
    }

    private static void joinAll(List<ChildProcess> children) throws InterruptedException {
        for (ChildProcess child : children) {
            child.join();
            assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
        }
    }
}
