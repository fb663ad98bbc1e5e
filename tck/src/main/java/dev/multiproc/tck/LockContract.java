package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.ChildProcess;
import dev.multiproc.SharedEvent;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedLock;
import dev.multiproc.SharedSemaphore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Locks, semaphores and events across processes, including a lock holder that dies. */
public abstract class LockContract extends TransportContract {

    static void guardedSection(SharedLock lock, SharedInt inside, SharedInt violations) {
        for (int i = 0; i < 200; i++) {
            lock.lock();
            try {
                if (inside.getAndSet(1) != 0) {
                    violations.incrementAndGet();
                }
                inside.set(0);
            } finally {
                lock.unlock();
            }
        }
    }

    static void holdUntil(SharedLock lock, SharedEvent held, SharedEvent release) throws InterruptedException {
        lock.lock();
        held.set();
        release.await();
        lock.unlock();
    }

    /** Two processes never hold the lock at once. */
    @Test
    public void lockExcludesAcrossProcesses() {
        within(90, "mutual exclusion", () -> {
            SharedLock lock = context.lock();
            SharedInt inside = context.sharedInt(0);
            SharedInt violations = context.sharedInt(0);
            ChildProcess a = context.process(() -> guardedSection(lock, inside, violations)).start();
            ChildProcess b = context.process(() -> guardedSection(lock, inside, violations)).start();
            a.join();
            b.join();
            assertEquals(0, violations.get());
            assertFalse(lock.isLocked());
            return null;
        });
    }

    /** tryLock with a timeout fails while another process holds the lock, and succeeds after. */
    @Test
    public void tryLockTimesOutWhileAnotherProcessHoldsIt() {
        within(60, "tryLock", () -> {
            SharedLock lock = context.lock();
            SharedEvent held = context.event();
            SharedEvent release = context.event();
            ChildProcess holder = context.process(() -> holdUntil(lock, held, release)).start();
            assertTrue(held.await(30, TimeUnit.SECONDS));
            assertTrue(lock.isLocked());
            assertFalse(lock.tryLock(100, TimeUnit.MILLISECONDS));
            assertFalse(lock.tryLock());
            release.set();
            assertTrue(lock.tryLock(30, TimeUnit.SECONDS));
            lock.unlock();
            holder.join();
            return null;
        });
    }

    /** A reentrant lock counts holds; a plain one refuses to be taken twice by one thread. */
    @Test
    public void reentrancyAndOwnership() {
        within(30, "reentrancy", () -> {
            SharedLock reentrant = context.reentrantLock();
            assertTrue(reentrant.isReentrant());
            reentrant.lock();
            reentrant.lock();
            reentrant.unlock();
            assertTrue(reentrant.isLocked());
            reentrant.unlock();
            assertFalse(reentrant.isLocked());

            SharedLock plain = context.lock();
            assertFalse(plain.isReentrant());
            plain.lock();
            assertThrows(IllegalStateException.class, plain::lock);
            CompletableFuture<Throwable> other = CompletableFuture.supplyAsync(() -> {
                try {
                    plain.unlock();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            assertTrue(other.get(10, TimeUnit.SECONDS) instanceof IllegalMonitorStateException,
                    "unlock by a non-owner must throw IllegalMonitorStateException");
            plain.unlock();
            assertThrows(IllegalMonitorStateException.class, plain::unlock);
            return null;
        });
    }

    /** A lock held by a process killed with SIGKILL is released to the next waiter. */
    @Test
    public void lockOfAKilledHolderIsReleased() {
        within(60, "a dead holder's lock", () -> {
            SharedLock lock = context.lock();
            SharedEvent held = context.event();
            SharedEvent never = context.event();
            ChildProcess holder = context.process(() -> holdUntil(lock, held, never)).start();
            assertTrue(held.await(30, TimeUnit.SECONDS));
            holder.kill();
            assertTrue(lock.tryLock(TckTimeouts.seconds(10).toMillis(), TimeUnit.MILLISECONDS),
                    "the lock of a killed process was not released");
            lock.unlock();
            return null;
        });
    }

    /** Semaphore permits are shared and may be released by another process. */
    @Test
    public void semaphoreAcrossProcesses() {
        within(60, "semaphore", () -> {
            SharedSemaphore semaphore = context.semaphore(1);
            assertTrue(semaphore.tryAcquire());
            assertEquals(0, semaphore.availablePermits());
            assertFalse(semaphore.tryAcquire(50, TimeUnit.MILLISECONDS));
            ChildProcess releaser = context.process(() -> {
                semaphore.release();
                semaphore.release();
            }).start();
            releaser.join();
            assertEquals(2, semaphore.availablePermits());
            semaphore.acquire();
            assertTrue(semaphore.tryAcquire(1, TimeUnit.SECONDS));
            assertEquals(0, semaphore.availablePermits());
            return null;
        });
    }

    /** An event set in a child wakes the parent; clear resets it. */
    @Test
    public void eventAcrossProcesses() {
        within(60, "event", () -> {
            SharedEvent event = context.event();
            assertFalse(event.isSet());
            assertFalse(event.await(50, TimeUnit.MILLISECONDS));
            ChildProcess setter = context.process(event::set).start();
            assertTrue(event.await(30, TimeUnit.SECONDS));
            assertTrue(event.isSet());
            event.clear();
            assertFalse(event.isSet());
            setter.join();
            return null;
        });
    }
}
