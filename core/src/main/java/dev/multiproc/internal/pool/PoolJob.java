package dev.multiproc.internal.pool;

import com.google.protobuf.ByteString;
import dev.multiproc.DeathCertificate;
import dev.multiproc.Progress;
import dev.multiproc.internal.protocol.RunTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A unit of pool work: one map, imap or single call, split into chunks that workers run one at a time. The pool
 * pulls chunks under its lock ({@link #nextChunk()}); results and failures arrive outside it.
 */
abstract class PoolJob {
    /** A slice of a job's arguments, encoded, as sent to one worker. */
    static final class Chunk {
        final PoolJob job;
        final int index;
        final ByteString arguments;
        /** How many arguments it holds. */
        final int items;
        /** How many times this chunk was put back after its worker died (guarded by the pool's lock). */
        int attempts;
        /** One for each worker that died running this chunk, oldest first (guarded by the pool's lock). */
        final List<DeathCertificate> deaths = new ArrayList<>(1);

        Chunk(PoolJob job, int index, ByteString arguments, int items) {
            this.job = job;
            this.index = index;
            this.arguments = arguments;
            this.items = items;
        }
    }

    final long functionId;
    final ByteString function;
    final RunTask.Mode mode;

    PoolJob(long functionId, ByteString function, RunTask.Mode mode) {
        this.functionId = functionId;
        this.function = function;
        this.mode = mode;
    }

    /** Tasks done and failed, counted for a call's progress and for its pool's stats. */
    static final class Tally {
        final AtomicLong done = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
    }

    /**
     * How long each of its tasks may run, or null for no limit: the pool's {@code taskTimeout}, or the one of the
     * {@code withTaskTimeout} view it was made through. Set before the job is queued.
     */
    Duration taskTimeout;

    /** When the call was made (System.nanoTime). */
    final long createdNanos = System.nanoTime();
    private final Tally tally = new Tally();
    /** The pool's tally, which this job's counts add to; set when the job is queued, before any chunk runs. */
    private volatile Tally poolTally;

    void countInto(Tally pool) {
        poolTally = pool;
    }

    /** Counts the tasks of a chunk that came back, with results or failed (once per chunk). */
    final void count(Chunk chunk, boolean ok) {
        count(chunk.items, ok);
    }

    final void count(int items, boolean ok) {
        (ok ? tally.done : tally.failed).addAndGet(items);
        Tally pool = poolTally;
        if (pool != null) {
            (ok ? pool.done : pool.failed).addAndGet(items);
        }
    }

    /**
     * @param running the tasks of this job that workers hold now
     * @return the call's progress
     */
    final Progress progress(long running) {
        return new Progress(totalItems(), tally.done.get(), tally.failed.get(), running,
                Duration.ofNanos(System.nanoTime() - createdNanos));
    }

    /** @return how many tasks the job has in all, or -1 while unknown */
    abstract long totalItems();

    /** @return how many of its tasks wait to be sent to a worker (called under the pool's lock) */
    long queuedItems() {
        return 0;
    }

    /** @return the next chunk to run, or null if none is available now (called under the pool's lock) */
    abstract Chunk nextChunk();

    /** @return true once the job will produce no more chunks (called under the pool's lock) */
    abstract boolean exhausted();

    /**
     * @return true if the job no longer wants results (it failed, was cancelled, or its consumer closed it): a
     *         chunk of it lost with a worker is not run again
     */
    abstract boolean abandoned();

    /** A chunk's results arrived. */
    abstract void completed(Chunk chunk, List<?> results);

    /** A chunk failed: the task threw, the worker died, or the results could not be decoded. */
    abstract void failed(Chunk chunk, Throwable error);

    /** The pool was terminated or broke: fail everything not yet done. */
    abstract void cancel(Throwable reason);
}
