package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.ChildProcess;
import dev.multiproc.SharedEvent;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedLock;
import dev.multiproc.SharedSemaphore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link SharedLock}, {@link SharedSemaphore} and {@link SharedEvent} across processes: mutual
 * exclusion (also through {@link Lock}), time-outs, interruption, reentrancy and ownership, the release of a lock
 * whose holder was killed, permits, and events.
 */
@SuppressWarnings("LockNotBeforeTry") // these tests look at a lock between its lock() and unlock()
public abstract class LockContract extends TransportContract {
    private static final int ITERATIONS = 200;

    /** For a transport's subclass, which JUnit instantiates. */
    protected LockContract() {
    }

    /**
     * Meets the other parties at a start barrier, then does {@link #ITERATIONS} locked iterations, each followed by
     * a wait for another party's turn (see {@link Contention}); counts in {@code violations} the times it found
     * another holder inside, and in {@code handoffs} the times the lock came to it from another party (evidence that
     * the parties really contended, rather than ran one after the other).
     */
    static void guardedSection(SharedLock lock, SharedInt inside, SharedInt violations, SharedInt arrived,
            int parties, SharedInt lastHolder, SharedInt handoffs, SharedInt finished, int me) {
        Contention.startTogether(arrived, parties);
        for (int i = 0; i < ITERATIONS; i++) {
            lock.lock();
            try {
                if (inside.get() != 0) {
                    violations.incrementAndGet();
                }
                inside.set(1);
                if (lastHolder.getAndSet(me) != me) {
                    handoffs.incrementAndGet();
                }
                Thread.yield(); // widen the window another holder would fall into
                inside.set(0);
            } finally {
                lock.unlock();
            }
            Contention.awaitAnotherTurn(lastHolder, me, finished, parties);
        }
        finished.incrementAndGet();
    }

    static void holdUntil(SharedLock lock, SharedEvent held, SharedEvent release) throws InterruptedException {
        lock.lock();
        try {
            held.set();
            release.await();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Arrives, then does {@code increments} read-then-write increments of {@code counter} under {@code lock}, seen
     * only as a {@link Lock}; counts in {@code startedTogether} whether every party had arrived by its first hold.
     */
    static void incrementUnderLock(Lock lock, SharedInt counter, SharedInt arrived, SharedInt startedTogether,
            int parties, int increments) {
        arrived.incrementAndGet();
        for (int i = 0; i < increments; i++) {
            lock.lock();
            try {
                if (i == 0 && arrived.get() == parties) {
                    startedTogether.incrementAndGet();
                }
                int seen = counter.get();
                Thread.yield(); // widen the window a second holder would fall into
                counter.set(seen + 1);
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * In a child: a timed {@code tryAcquire} first (the semaphore has no permit), counted in {@code phantom} if it
     * succeeded; then {@code waiting} is set, and an untimed acquire, announced by setting {@code acquired}.
     */
    static void acquireAndSignal(SharedSemaphore semaphore, SharedInt phantom, SharedEvent waiting,
            SharedEvent acquired) throws InterruptedException {
        if (semaphore.tryAcquire(200, TimeUnit.MILLISECONDS)) {
            phantom.incrementAndGet();
        }
        waiting.set();
        semaphore.acquire();
        acquired.set();
    }

    static void releaseTwice(SharedSemaphore semaphore) {
        semaphore.release();
        semaphore.release();
    }

    /**
     * In a child: a timed wait on the (clear) {@code question} first, counted in {@code passedClear} if it did not
     * time out; then {@code waiting} is set, and an untimed wait on the question, answered by setting
     * {@code answer}.
     */
    static void awaitAndAnswer(SharedEvent question, SharedEvent answer, SharedInt passedClear, SharedEvent waiting)
            throws InterruptedException {
        if (question.await(200, TimeUnit.MILLISECONDS)) {
            passedClear.incrementAndGet();
        }
        waiting.set();
        question.await();
        answer.set();
    }

    /**
     * A thread's wait for a lock is recorded as the JFR event {@code dev.multiproc.LockWait} (acquired, with its
     * duration, on the waiting thread), whether the transport's locks are the hub's or its own.
     */
    @Test
    public void aWaitForTheLockIsRecordedAsAJfrLockWait() throws Exception {
        SharedLock lock = context.lock();
        Path file = Files.createTempFile("multiproc-lock-wait", ".jfr");
        try {
            CompletableFuture<Boolean> got = new CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                try {
                    boolean acquired = lock.tryLock(TckTimeouts.millis(30), TimeUnit.MILLISECONDS);
                    if (acquired) {
                        lock.unlock();
                    }
                    got.complete(acquired);
                } catch (Throwable e) {
                    got.completeExceptionally(e);
                }
            }, "lock-waiter");
            try (Recording recording = new Recording()) {
                recording.enable("dev.multiproc.LockWait").withThreshold(java.time.Duration.ZERO);
                recording.start();
                lock.lock();
                try {
                    waiter.start();
                    await(30, "the waiter to wait", () -> waiter.getState() == Thread.State.TIMED_WAITING
                            || waiter.getState() == Thread.State.WAITING);
                } finally {
                    lock.unlock();
                }
                assertTrue(within(30, "the waiter", () -> got.get()), "the waiter got the lock");
                recording.stop();
                recording.dump(file);
            }
            List<RecordedEvent> waits = RecordingFile.readAllEvents(file).stream()
                    .filter(event -> event.getEventType().getName().equals("dev.multiproc.LockWait")
                            && event.getThread() != null && "lock-waiter".equals(event.getThread().getJavaName()))
                    .toList();
            assertEquals(1, waits.size(), "the waiter's LockWait events: " + waits);
            assertTrue(waits.get(0).getBoolean("acquired"), waits.toString());
            assertTrue(waits.get(0).getDuration().toNanos() > 0, waits.toString());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Two processes doing 200 locked iterations each never find the other inside the critical section. They start
     * together (a barrier on a shared int), take turns (each waits after its turn until the other has had one) and
     * must be seen to alternate: a lock that excluded nothing would be caught inside, and a test whose children ran
     * one after the other would prove nothing.
     */
    @Test
    public void lockExcludesAcrossProcesses() {
        within(60, "two children contending for a lock", () -> {
            SharedLock lock = context.lock();
            SharedInt inside = context.sharedInt(0);
            SharedInt violations = context.sharedInt(0);
            SharedInt arrived = context.sharedInt(0);
            SharedInt lastHolder = context.sharedInt(0);
            SharedInt handoffs = context.sharedInt(0);
            SharedInt finished = context.sharedInt(0);
            ChildProcess a = context.process(() -> guardedSection(lock, inside, violations, arrived, 2, lastHolder,
                    handoffs, finished, 1)).start();
            ChildProcess b = context.process(() -> guardedSection(lock, inside, violations, arrived, 2, lastHolder,
                    handoffs, finished, 2)).start();
            a.join();
            b.join();
            assertEquals(0, a.exitCode().getAsInt(), () -> "child failed: " + a.failure());
            assertEquals(0, b.exitCode().getAsInt(), () -> "child failed: " + b.failure());
            assertEquals(0, violations.get(), "times a holder found another inside");
            assertTrue(handoffs.get() >= ITERATIONS, "the lock passed between the children only " + handoffs.get()
                    + " times: they did not contend, so the test proved nothing");
            assertEquals(0, inside.get());
            assertFalse(lock.isLocked());
            return null;
        });
    }

    /**
     * A SharedLock used only through {@code java.util.concurrent.locks.Lock}: three children each increment a shared
     * counter 100 times, reading and then writing it, under {@code Lock.lock()/unlock()}. The parent holds the lock
     * as their start barrier until all three are at it, so that they all contend from their first increment, and
     * no increment is lost.
     */
    @Test
    public void sharedLockExcludesAcrossProcessesAsAJavaUtilConcurrentLock() {
        within(90, "three children incrementing under a Lock", () -> {
            int parties = 3;
            int increments = 100;
            Lock lock = context.lock();
            SharedInt counter = context.sharedInt(0);
            SharedInt arrived = context.sharedInt(0);
            SharedInt startedTogether = context.sharedInt(0);
            List<ChildProcess> children = new ArrayList<>();
            lock.lock();
            try {
                for (int i = 0; i < parties; i++) {
                    children.add(context.process(() -> incrementUnderLock(lock, counter, arrived, startedTogether,
                            parties, increments)).start());
                }
                await(60, "every child at the lock", () -> arrived.get() == parties);
                assertEquals(0, counter.get(), "a child took the lock while the parent held it");
            } finally {
                lock.unlock();
            }
            for (ChildProcess child : children) {
                child.join();
                assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            }
            assertEquals(parties, startedTogether.get(), "children whose first hold came after every child arrived");
            assertEquals(parties * increments, counter.get(), "increments lost: the lock let two holders in");
            return null;
        });
    }

    /**
     * Through {@code Lock}: {@code tryLock(timeout)} times out and {@code lockInterruptibly()} gives up when
     * interrupted while a child holds the lock, without taking it; both succeed once the child lets go; and
     * {@code newCondition()} is unsupported.
     */
    @Test
    public void lockViewTimesOutIsInterruptibleAndHasNoCondition() {
        within(30, "Lock methods against a holding child", () -> {
            SharedLock shared = context.lock();
            Lock lock = shared;
            assertThrows(UnsupportedOperationException.class, lock::newCondition);
            SharedEvent held = context.event();
            SharedEvent release = context.event();
            ChildProcess holder = context.process(() -> holdUntil(shared, held, release)).start();
            assertTrue(held.await(TckTimeouts.seconds(20).toMillis(), TimeUnit.MILLISECONDS));
            assertFalse(lock.tryLock(50, TimeUnit.MILLISECONDS));

            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                try {
                    lock.lockInterruptibly();
                    lock.unlock();
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            }, "lockInterruptibly-waiter");
            waiter.start();
            waiter.interrupt();
            Throwable thrown = outcome.get(TckTimeouts.seconds(10).toMillis(), TimeUnit.MILLISECONDS);
            assertInstanceOf(InterruptedException.class, thrown, "lockInterruptibly() while a child holds the lock");
            waiter.join();
            assertTrue(shared.isLocked(), "the child's lock was lost");

            release.set();
            lock.lockInterruptibly();
            lock.unlock();
            assertTrue(lock.tryLock(TckTimeouts.seconds(20).toMillis(), TimeUnit.MILLISECONDS));
            lock.unlock();
            assertFalse(shared.isLocked());
            holder.join();
            assertEquals(0, holder.exitCode().getAsInt(), () -> "holder failed: " + holder.failure());
            return null;
        });
    }

    /** {@code tryLock(100 ms)} is false while a child holds the lock, and true once it lets go. */
    @Test
    public void tryLockTimesOutWhileAChildHoldsTheLock() {
        within(30, "tryLock against a holding child", () -> {
            SharedLock lock = context.lock();
            SharedEvent held = context.event();
            SharedEvent release = context.event();
            ChildProcess holder = context.process(() -> holdUntil(lock, held, release)).start();
            assertTrue(held.await(TckTimeouts.seconds(20).toMillis(), TimeUnit.MILLISECONDS));
            assertTrue(lock.isLocked());
            assertFalse(lock.tryLock(100, TimeUnit.MILLISECONDS));
            assertFalse(lock.tryLock());
            release.set();
            assertTrue(lock.tryLock(TckTimeouts.seconds(20).toMillis(), TimeUnit.MILLISECONDS));
            assertTrue(lock.isLocked());
            lock.unlock();
            assertFalse(lock.isLocked());
            holder.join();
            assertEquals(0, holder.exitCode().getAsInt(), () -> "holder failed: " + holder.failure());
            return null;
        });
    }

    /** A reentrant lock taken twice must be released twice: it stays locked after the first unlock. */
    @Test
    public void reentrantLockCountsItsHolds() {
        within(10, "a reentrant lock", () -> {
            SharedLock lock = context.reentrantLock();
            assertTrue(lock.isReentrant());
            assertFalse(lock.isLocked());
            lock.lock();
            assertTrue(lock.tryLock());
            lock.unlock();
            assertTrue(lock.isLocked(), "one unlock of two holds released the lock");
            lock.unlock();
            assertFalse(lock.isLocked());
            assertThrows(IllegalMonitorStateException.class, lock::unlock);
            return null;
        });
    }

    /** A non-reentrant lock taken again by the thread that holds it throws IllegalStateException. */
    @Test
    public void nonReentrantLockRefusesASecondHoldBySameThread() {
        within(10, "a non-reentrant lock", () -> {
            SharedLock lock = context.lock();
            assertFalse(lock.isReentrant());
            lock.lock();
            assertThrows(IllegalStateException.class, lock::lock);
            assertTrue(lock.isLocked());
            lock.unlock();
            assertFalse(lock.isLocked());
            return null;
        });
    }

    /**
     * A try on a non-reentrant lock that this thread holds fails, as Python's {@code acquire(False)} does, while a
     * blocking {@code lock()} would deadlock and throws.
     */
    @Test
    public void tryLockOnANonReentrantLockThisThreadHoldsReturnsFalse() {
        within(10, "tries on a held non-reentrant lock", () -> {
            SharedLock lock = context.lock();
            lock.lock();
            assertFalse(lock.tryLock());
            assertFalse(lock.tryLock(50, TimeUnit.MILLISECONDS));
            assertThrows(IllegalStateException.class, lock::lock);
            lock.unlock();
            assertFalse(lock.isLocked());
            assertTrue(lock.tryLock());
            lock.unlock();
            return null;
        });
    }

    /** Unlocking from a thread that does not hold the lock throws IllegalMonitorStateException. */
    @Test
    public void unlockByANonOwnerThrows() {
        within(10, "unlock by another thread", () -> {
            SharedLock lock = context.lock();
            assertThrows(IllegalMonitorStateException.class, lock::unlock);
            lock.lock();
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
                    try {
                        lock.unlock();
                        return null;
                    } catch (Throwable t) {
                        return t;
                    }
                }, other);
                Throwable thrown = outcome.get(TckTimeouts.seconds(5).toMillis(), TimeUnit.MILLISECONDS);
                assertInstanceOf(IllegalMonitorStateException.class, thrown);
            } finally {
                other.shutdownNow();
            }
            assertTrue(lock.isLocked(), "a non-owner's unlock released the lock");
            lock.unlock();
            assertFalse(lock.isLocked());
            return null;
        });
    }

    /** A lock held by a child killed with SIGKILL is released: the parent gets it within 10 s (scaled). */
    @Test
    public void lockOfAKilledHolderIsReleased() {
        within(30, "the lock of a killed holder", () -> {
            SharedLock lock = context.lock();
            SharedEvent held = context.event();
            SharedEvent never = context.event();
            ChildProcess holder = context.process(() -> holdUntil(lock, held, never)).start();
            assertTrue(held.await(TckTimeouts.seconds(20).toMillis(), TimeUnit.MILLISECONDS));
            assertFalse(lock.tryLock());
            holder.kill();
            assertTrue(lock.tryLock(TckTimeouts.seconds(10).toMillis(), TimeUnit.MILLISECONDS),
                    "the lock of a killed process was not released");
            lock.unlock();
            holder.join();
            assertEquals(137, holder.exitCode().getAsInt());
            return null;
        });
    }

    /**
     * Semaphore permits are shared: a taken permit is missing in every process, {@code tryAcquire} times out
     * without one, and a permit released by another process wakes a waiter.
     */
    @Test
    public void semaphorePermitsAreSharedAcrossProcesses() {
        within(30, "a semaphore across processes", () -> {
            SharedSemaphore semaphore = context.semaphore(1);
            assertEquals(1, semaphore.availablePermits());
            assertTrue(semaphore.tryAcquire());
            assertEquals(0, semaphore.availablePermits());
            assertFalse(semaphore.tryAcquire());
            assertFalse(semaphore.tryAcquire(50, TimeUnit.MILLISECONDS));

            ChildProcess releaser = context.process(() -> releaseTwice(semaphore)).start();
            releaser.join();
            assertEquals(0, releaser.exitCode().getAsInt(), () -> "releaser failed: " + releaser.failure());
            assertEquals(2, semaphore.availablePermits());
            semaphore.acquire();
            assertTrue(semaphore.tryAcquire(TckTimeouts.millis(1), TimeUnit.MILLISECONDS));
            assertEquals(0, semaphore.availablePermits());

            SharedEvent waiting = context.event();
            SharedEvent acquired = context.event();
            SharedInt phantom = context.sharedInt(0);
            ChildProcess waiter = context.process(() -> acquireAndSignal(semaphore, phantom, waiting, acquired))
                    .start();
            assertTrue(waiting.await(TckTimeouts.seconds(20).toMillis(), TimeUnit.MILLISECONDS));
            assertEquals(0, phantom.get(), "the child's timed tryAcquire took a permit that was not there");
            assertFalse(acquired.await(100, TimeUnit.MILLISECONDS), "the child acquired a permit that was not there");
            semaphore.release();
            assertTrue(acquired.await(TckTimeouts.seconds(20).toMillis(), TimeUnit.MILLISECONDS),
                    "a permit released by the parent did not wake the child");
            waiter.join();
            assertEquals(0, waiter.exitCode().getAsInt(), () -> "waiter failed: " + waiter.failure());
            assertEquals(0, semaphore.availablePermits());
            return null;
        });
    }

    /**
     * An event: {@code await(timeout)} is false while clear (in the parent, and in a child that is known to have
     * waited), true once a child sets it; {@code clear} and
     * {@code isSet} are seen by every process.
     */
    @Test
    public void eventAcrossProcesses() {
        within(30, "an event across processes", () -> {
            SharedEvent event = context.event();
            assertFalse(event.isSet());
            assertFalse(event.await(50, TimeUnit.MILLISECONDS));
            ChildProcess setter = context.process(event::set).start();
            assertTrue(event.await(TckTimeouts.seconds(20).toMillis(), TimeUnit.MILLISECONDS));
            assertTrue(event.isSet());
            assertTrue(event.await(0, TimeUnit.MILLISECONDS));
            setter.join();
            event.clear();
            assertFalse(event.isSet());
            assertFalse(event.await(50, TimeUnit.MILLISECONDS));

            SharedEvent answer = context.event();
            SharedInt passedClear = context.sharedInt(0);
            SharedEvent waiting = context.event();
            ChildProcess waiter = context.process(() -> awaitAndAnswer(event, answer, passedClear, waiting)).start();
            assertTrue(waiting.await(TckTimeouts.seconds(20).toMillis(), TimeUnit.MILLISECONDS), "child waiting");
            assertEquals(0, passedClear.get(), "the child's timed wait passed a clear event");
            assertFalse(answer.await(100, TimeUnit.MILLISECONDS), "the child passed a clear event");
            event.set();
            assertTrue(answer.await(TckTimeouts.seconds(20).toMillis(), TimeUnit.MILLISECONDS),
                    "setting the event did not wake the waiting child");
            waiter.join();
            assertEquals(0, waiter.exitCode().getAsInt(), () -> "waiter failed: " + waiter.failure());
            assertNull(waiter.failure().orElse(null));
            return null;
        });
    }
}
