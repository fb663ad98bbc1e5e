package dev.multiproc.transport.shm;

import static dev.multiproc.transport.shm.ShmSegment.INTS;
import static dev.multiproc.transport.shm.ShmSegment.LONGS;

import dev.multiproc.SharedLock;
import dev.multiproc.spi.LockWaits;
import java.io.Serial;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link SharedLock} that is a word of shared memory: 0 when free, else the owner's identity, {@code pid << 24 |
 * thread number}. Taking it is one compare-and-set; a waiter spins, yields and parks (a {@link ShmIdleStrategy}),
 * and while it waits it checks now and then whether the owner's process still runs: the lock of a process that died
 * holding it (kill -9 inside the critical section) is taken over by the waiter, with a warning, instead of being
 * held forever as Python's would. Not fair: a waiter that arrives later may win.
 *
 * <p>Cell layout: owner word (long, offset 0), hold count (int, offset 8, written only by the owner).
 *
 * <p>Memory order: the owner word is taken with a compare-and-set (volatile) and given back with a release store,
 * so everything the owner wrote inside the critical section is seen by the next owner, whose CAS acquires it. The
 * hold count is plain: only the owner reads or writes it, and ownership changes hands through the owner word.
 */
final class ShmSharedLock extends ShmCellHandle implements SharedLock {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger("dev.multiproc.lock");
    private static final int HOLDS_OFFSET = 8;
    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicInteger THREAD_NUMBERS = new AtomicInteger();
    private static final ThreadLocal<Long> IDENTITY = ThreadLocal.withInitial(() -> {
        int number;
        do {
            number = THREAD_NUMBERS.incrementAndGet() & 0xff_ffff;
        } while (number == 0);
        return PID << 24 | number;
    });
    /** How often, at most, a waiter asks whether the owner still runs. */
    private static final long OWNER_CHECK_NANOS = 20_000_000L;
    /** Waiters park at most this long: a lock is handed over far more often than a channel wakes up. */
    private static final long MAX_PARK_NANOS = 200_000L;

    private final boolean reentrant;

    ShmSharedLock(ShmCells.Cell cell, boolean reentrant) {
        super(cell);
        this.reentrant = reentrant;
    }

    @Override
    public void lock() {
        try {
            acquire(false, Long.MAX_VALUE);
        } catch (InterruptedException e) {
            throw new AssertionError("lock() is not interruptible", e);
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        acquire(true, Long.MAX_VALUE);
    }

    @Override
    public boolean tryLock() {
        ByteBuffer cells = cells();
        long me = IDENTITY.get();
        if (takeOrReenter(cells, me, false)) {
            return true;
        }
        long owner = (long) LONGS.getVolatile(cells, offset);
        return owner != 0 && ownerDead(owner) && takeOver(cells, owner, me);
    }

    @Override
    public boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = Math.max(0, unit.toNanos(timeout));
        return acquire(true, System.nanoTime() + nanos, nanos);
    }

    private boolean acquire(boolean interruptible, long deadline) throws InterruptedException {
        return acquire(interruptible, deadline, LockWaits.NO_TIMEOUT);
    }

    /** Takes the lock at once, or waits for it, the wait recorded as a JFR {@code LockWait} when one records. */
    private boolean acquire(boolean interruptible, long deadline, long timeoutNanos) throws InterruptedException {
        ByteBuffer cells = cells();
        long me = IDENTITY.get();
        if (takeOrReenter(cells, me, deadline == Long.MAX_VALUE)) {
            return true;
        }
        Object wait = LockWaits.begin();
        boolean acquired = false;
        try {
            acquired = await(cells, me, interruptible, deadline);
            return acquired;
        } finally {
            LockWaits.end(wait, toString(), acquired, timeoutNanos);
        }
    }

    /** Waits for the lock, after a first attempt failed: spins, yields, parks, and takes over a dead owner's. */
    private boolean await(ByteBuffer cells, long me, boolean interruptible, long deadline)
            throws InterruptedException {
        ShmIdleStrategy idle = new ShmIdleStrategy(MAX_PARK_NANOS);
        long nextCheck = System.nanoTime() + OWNER_CHECK_NANOS;
        boolean interrupted = false;
        try {
            while (true) {
                long owner = (long) LONGS.getVolatile(cells, offset);
                if (owner == 0) {
                    if (LONGS.compareAndSet(cells, offset, 0L, me)) {
                        INTS.set(cells, offset + HOLDS_OFFSET, 1);
                        return true;
                    }
                    continue;
                }
                long now = System.nanoTime();
                if (deadline != Long.MAX_VALUE && now - deadline >= 0) {
                    return false;
                }
                if (now - nextCheck >= 0) {
                    nextCheck = now + OWNER_CHECK_NANOS;
                    if (ownerDead(owner) && takeOver(cells, owner, me)) {
                        return true;
                    }
                    cells = cells(); // fails if the context closed while we waited
                }
                if (Thread.interrupted()) {
                    if (interruptible) {
                        throw new InterruptedException("interrupted while waiting for " + this);
                    }
                    interrupted = true;
                }
                idle.idle();
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * One attempt: take a free lock, or count another hold of ours.
     *
     * @param forever whether the caller would wait without end: then a second hold of a non-reentrant lock throws
     *        (it would deadlock); a try just fails, as Python's {@code acquire(False)} does
     */
    private boolean takeOrReenter(ByteBuffer cells, long me, boolean forever) {
        if (LONGS.compareAndSet(cells, offset, 0L, me)) {
            INTS.set(cells, offset + HOLDS_OFFSET, 1);
            return true;
        }
        if ((long) LONGS.getVolatile(cells, offset) == me) {
            if (!reentrant) {
                if (!forever) {
                    return false;
                }
                throw new IllegalStateException("this thread already holds this non-reentrant lock; taking it again"
                        + " would deadlock (use Context.reentrantLock() for a reentrant one)");
            }
            int holds = (int) INTS.get(cells, offset + HOLDS_OFFSET);
            INTS.set(cells, offset + HOLDS_OFFSET, holds + 1);
            return true;
        }
        return false;
    }

    private static boolean ownerDead(long owner) {
        long pid = owner >>> 24;
        return pid != PID && !ShmDirectory.running(pid);
    }

    private boolean takeOver(ByteBuffer cells, long deadOwner, long me) {
        if (LONGS.compareAndSet(cells, offset, deadOwner, me)) {
            INTS.set(cells, offset + HOLDS_OFFSET, 1);
            LOG.log(Level.WARNING, "process " + (deadOwner >>> 24) + " died holding " + this + "; the lock passes to"
                    + " process " + PID + ". What the dead process did inside its critical section may be half done.");
            return true;
        }
        return false;
    }

    @Override
    public void unlock() {
        ByteBuffer cells = cells();
        long me = IDENTITY.get();
        if ((long) LONGS.getVolatile(cells, offset) != me) {
            throw new IllegalMonitorStateException("the calling thread does not hold this lock");
        }
        int holds = (int) INTS.get(cells, offset + HOLDS_OFFSET) - 1;
        INTS.set(cells, offset + HOLDS_OFFSET, holds);
        if (holds <= 0) {
            // release: the critical section's writes are visible to the next owner, whose CAS reads this
            LONGS.setRelease(cells, offset, 0L);
        }
    }

    @Override
    public boolean isLocked() {
        return (long) LONGS.getVolatile(cells(), offset) != 0;
    }

    @Override
    public boolean isReentrant() {
        return reentrant;
    }

    @Override
    public int getHoldCount() {
        ByteBuffer cells = cells();
        // the owner word is ours only if this thread wrote it (volatile read: the latest owner); the hold count is
        // then this thread's own plain write
        if ((long) LONGS.getVolatile(cells, offset) != IDENTITY.get()) {
            return 0;
        }
        return (int) INTS.get(cells, offset + HOLDS_OFFSET);
    }

    @Override
    public String toString() {
        return (reentrant ? "reentrant " : "") + "SharedLock[" + where() + "]";
    }
}
