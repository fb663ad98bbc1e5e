package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.ChildProcess;
import dev.multiproc.SharedCondition;
import dev.multiproc.SharedEvent;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedLock;
import dev.multiproc.SharedLong;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link SharedCondition} across processes: a producer and a consumer hand items over through two
 * conditions of one lock, {@code signal} wakes one waiter and {@code signalAll} the rest, {@code await} releases the
 * lock (every hold of a reentrant one) while it waits and holds it again when it returns (signalled, timed out or
 * interrupted), {@code awaitUntil} is Python's {@code wait_for}, every method but {@code lock()} requires the lock,
 * and a waiter killed with SIGKILL does not take a signal from a live one. On a transport with its own locks the
 * condition runs on that lock.
 */
// these tests look at a lock between its lock() and unlock(), and at what one wait does (no loop around it)
@SuppressWarnings({"LockNotBeforeTry", "WaitNotInLoop"})
public abstract class ConditionContract extends TransportContract {
    private static final int ITEMS = 50;
    private static final long LONG_WAIT_MILLIS = TckTimeouts.millis(30);

    /** For a transport's subclass, which JUnit instantiates. */
    protected ConditionContract() {
    }

    /** In a child: puts 1 to {@link #ITEMS} into a one-item slot, waiting on {@code notFull} while it is taken. */
    static void produce(SharedLock lock, SharedCondition notFull, SharedCondition notEmpty, SharedInt slot,
            SharedInt waits) throws InterruptedException {
        for (int item = 1; item <= ITEMS; item++) {
            lock.lock();
            try {
                while (slot.get() != 0) {
                    waits.incrementAndGet();
                    notFull.await();
                }
                slot.set(item);
                notEmpty.signal();
            } finally {
                lock.unlock();
            }
        }
    }

    /** In a child: takes {@link #ITEMS} items out of the slot, waiting on {@code notEmpty}, summing them. */
    static void consume(SharedLock lock, SharedCondition notFull, SharedCondition notEmpty, SharedInt slot,
            SharedLong sum, SharedInt waits) throws InterruptedException {
        for (int i = 0; i < ITEMS; i++) {
            lock.lock();
            try {
                while (slot.get() == 0) {
                    waits.incrementAndGet();
                    notEmpty.await();
                }
                sum.addAndGet(slot.get());
                slot.set(0);
                notFull.signal();
            } finally {
                lock.unlock();
            }
        }
    }

    /** In a child: counts itself waiting (under the lock), waits for one signal, and counts itself woken. */
    static void waitOnce(SharedCondition condition, SharedInt waiting, SharedInt woken) throws InterruptedException {
        condition.lock().lock();
        try {
            waiting.incrementAndGet();
            condition.await();
            woken.incrementAndGet();
        } finally {
            condition.lock().unlock();
        }
    }

    /** In a child: takes the lock, sets {@code done} and signals. */
    static void setAndSignal(SharedCondition condition, SharedEvent done) {
        condition.lock().lock();
        try {
            done.set();
            condition.signal();
        } finally {
            condition.lock().unlock();
        }
    }

    /**
     * A producer and a consumer child hand {@value #ITEMS} items over through a one-item slot guarded by one lock,
     * each waiting on its own condition of it: every item arrives once. The slot holds one item, so the two must
     * have taken turns all along; the consumer waits for the first item before the producer starts.
     */
    @Test
    public void aProducerAndAConsumerHandOverEveryItemThroughTwoConditions() {
        within(90, "a producer and a consumer", () -> {
            SharedLock lock = context.lock();
            SharedCondition notFull = context.condition(lock);
            SharedCondition notEmpty = context.condition(lock);
            assertEquals(lock, notFull.lock());
            SharedInt slot = context.sharedInt(0);
            SharedLong sum = context.sharedLong(0);
            SharedInt waits = context.sharedInt(0);
            ChildProcess consumer = context.process(() -> consume(lock, notFull, notEmpty, slot, sum, waits)).start();
            // the producer starts once the consumer waits on the empty slot: with a fair lock the two could otherwise
            // hand the lock back and forth without either ever finding the slot in the wrong state
            await(45, "the consumer waiting for the first item", () -> waits.get() > 0);
            ChildProcess producer = context.process(() -> produce(lock, notFull, notEmpty, slot, waits)).start();
            joinAll(List.of(producer, consumer));
            assertEquals((long) ITEMS * (ITEMS + 1) / 2, sum.get(), "items lost or taken twice");
            assertEquals(0, slot.get());
            assertTrue(waits.get() > 0, "nobody waited: the conditions were never used");
            assertFalse(lock.isLocked());
            return null;
        });
    }

    /**
     * With three children waiting, {@code signal} wakes exactly one of them, and {@code signalAll} the other two.
     */
    @Test
    public void signalWakesOneWaiterAndSignalAllWakesTheRest() {
        within(90, "signal and signalAll", () -> {
            SharedCondition condition = context.condition(context.lock());
            SharedInt waiting = context.sharedInt(0);
            SharedInt woken = context.sharedInt(0);
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                children.add(context.process(() -> waitOnce(condition, waiting, woken)).start());
            }
            await(60, "three children waiting", () -> waiting.get() == 3);
            // each child counted itself under the lock, so once the parent holds it, all three are in await
            signalUnderLock(condition, false);
            await(20, "one child woken", () -> woken.get() == 1);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (System.nanoTime() < until) {
                assertEquals(1, woken.get(), "one signal woke more than one waiter");
                Thread.onSpinWait();
            }
            signalUnderLock(condition, true);
            await(20, "all children woken", () -> woken.get() == 3);
            joinAll(children);
            return null;
        });
    }

    /**
     * {@code await} releases every hold of a reentrant lock while it waits (a child takes the lock meanwhile and
     * signals), and holds the lock again as many times when it returns: signalled, timed out ({@code await} false,
     * {@code awaitNanos} at most 0, {@code awaitUntil} false when the predicate stays false) or interrupted. The
     * condition that makes its own lock makes a reentrant one, as Python's does.
     */
    @Test
    public void awaitReleasesTheLockWhileWaitingAndHoldsItAgainOnEveryReturn() {
        within(60, "await and the lock", () -> {
            SharedCondition own = context.condition();
            assertTrue(own.lock().isReentrant(), "Condition()'s own lock is an RLock in Python");
            SharedLock lock = context.reentrantLock();
            SharedCondition condition = context.condition(lock);
            SharedEvent done = context.event();
            lock.lock();
            lock.lock();
            try {
                ChildProcess child = context.process(() -> setAndSignal(condition, done)).start();
                assertTrue(condition.awaitUntil(done::isSet, LONG_WAIT_MILLIS, TimeUnit.MILLISECONDS),
                        "the child could not take the lock and signal while the parent waited");
                assertEquals(2, lock.getHoldCount(), "holds after a signalled await");
                joinAll(List.of(child));

                assertFalse(condition.await(100, TimeUnit.MILLISECONDS));
                assertEquals(2, lock.getHoldCount(), "holds after a timed-out await");
                assertTrue(condition.awaitNanos(TimeUnit.MILLISECONDS.toNanos(50)) <= 0);
                assertFalse(condition.awaitUntil(() -> false, 100, TimeUnit.MILLISECONDS));
                assertEquals(2, lock.getHoldCount(), "holds after a timed-out awaitUntil");
                assertTrue(condition.awaitUntil(() -> true, 0, TimeUnit.MILLISECONDS));
            } finally {
                lock.unlock();
                lock.unlock();
            }
            assertFalse(lock.isLocked());

            CompletableFuture<Object> outcome = new CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                lock.lock();
                try {
                    condition.await();
                    outcome.complete("returned");
                } catch (InterruptedException e) {
                    outcome.complete(lock.getHoldCount());
                } finally {
                    lock.unlock();
                }
            }, "condition-waiter");
            waiter.start();
            await(20, "the waiter to wait", () -> waiter.getState() == Thread.State.WAITING
                    || waiter.getState() == Thread.State.TIMED_WAITING);
            waiter.interrupt();
            assertEquals(1, outcome.get(LONG_WAIT_MILLIS, TimeUnit.MILLISECONDS), "holds after an interrupted await");
            waiter.join();
            assertFalse(lock.isLocked());
            return null;
        });
    }

    /** Every method but {@code lock()} throws IllegalMonitorStateException in a thread that does not hold the lock. */
    @Test
    public void awaitAndSignalWithoutTheLockThrowIllegalMonitorState() {
        within(30, "a condition without its lock", () -> {
            SharedCondition condition = context.condition(context.lock());
            assertThrows(IllegalMonitorStateException.class, condition::await);
            assertThrows(IllegalMonitorStateException.class, () -> condition.await(10, TimeUnit.MILLISECONDS));
            assertThrows(IllegalMonitorStateException.class, () -> condition.awaitUntil(() -> true));
            assertThrows(IllegalMonitorStateException.class, condition::signal);
            assertThrows(IllegalMonitorStateException.class, condition::signalAll);
            condition.lock().lock();
            try {
                CompletableFuture<Throwable> other = new CompletableFuture<>();
                Thread thread = new Thread(() -> {
                    try {
                        condition.signal();
                        other.complete(null);
                    } catch (Throwable t) {
                        other.complete(t);
                    }
                }, "not-the-holder");
                thread.start();
                assertInstanceOf(IllegalMonitorStateException.class, other.get(LONG_WAIT_MILLIS,
                        TimeUnit.MILLISECONDS), "signal from a thread that does not hold the lock");
                thread.join();
                condition.signal(); // with the lock: no waiter, nothing happens
            } finally {
                condition.lock().unlock();
            }
            return null;
        });
    }

    /**
     * Two children wait, the first to arrive is killed with SIGKILL, and the parent signals once, at once, before
     * it can know of the death: the signal reaches the live child, whichever waiter the condition had chosen.
     */
    @Test
    public void aWaiterKilledWhileWaitingDoesNotEatASignalMeantForALiveOne() {
        within(90, "a killed waiter and one signal", () -> {
            SharedCondition condition = context.condition(context.lock());
            SharedInt waiting = context.sharedInt(0);
            SharedInt woken = context.sharedInt(0);
            ChildProcess victim = context.process(() -> waitOnce(condition, waiting, woken)).start();
            await(45, "the first child waiting", () -> waiting.get() == 1);
            ChildProcess survivor = context.process(() -> waitOnce(condition, waiting, woken)).start();
            await(45, "the second child waiting", () -> waiting.get() == 2);
            condition.lock().lock();
            try {
                victim.kill();
                condition.signal();
            } finally {
                condition.lock().unlock();
            }
            await(20, "the live child woken by the one signal", () -> woken.get() == 1);
            joinAll(List.of(survivor));
            victim.join();
            assertEquals(137, victim.exitCode().getAsInt());
            return null;
        });
    }

    private static void signalUnderLock(SharedCondition condition, boolean all) {
        condition.lock().lock();
        try {
            if (all) {
                condition.signalAll();
            } else {
                condition.signal();
            }
        } finally {
            condition.lock().unlock();
        }
    }

    private static void joinAll(List<ChildProcess> children) throws InterruptedException {
        for (ChildProcess child : children) {
            child.join();
            assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
        }
    }
}
