package dev.multiproc.internal.pool;

import com.google.protobuf.ByteString;
import dev.multiproc.MultiprocException;
import dev.multiproc.Progress;
import dev.multiproc.ResultIterator;
import dev.multiproc.SerializationException;
import dev.multiproc.internal.CallerFrames;
import dev.multiproc.internal.codec.Codec;
import dev.multiproc.internal.protocol.RunTask;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * imap and imapUnordered: reads the input only as workers need it, keeping at most {@code window} chunks between
 * the input and the consumer (sent, running, or finished but not yet consumed). Unlike Python's imap, an endless
 * input is fine and memory stays bounded.
 *
 * <p>Locking: the pool calls {@link #nextChunk()} under its own lock, which then takes this job's monitor; the
 * consumer takes only this monitor, and pokes the pool after releasing it.
 *
 * @param <R> the result type
 */
final class LazyJob<R> extends PoolJob implements ResultIterator<R> {
    /** The results or failure of one chunk. */
    private record Outcome(List<?> results, Throwable error) {
    }

    private final Iterator<?> input;
    private final int chunksize;
    private final int window;
    private final boolean ordered;
    private final Codec codec;
    private final Runnable poke;
    /** Stops this job's chunks that workers hold, once it is closed. */
    private final Consumer<PoolJob> stop;
    /** How many of this job's tasks workers hold now. */
    private final ToLongFunction<PoolJob> running;
    private final Map<Integer, Outcome> ready = new HashMap<>();
    private final ArrayDeque<Integer> completionOrder = new ArrayDeque<>();
    private int pulledChunks;
    /** How many items have been read from the input. */
    private long itemsRead;
    private int consumedChunks;
    private boolean inputDone;
    private boolean closed;
    private Throwable cancelled;
    private Iterator<?> current;

    LazyJob(long functionId, ByteString function, Iterator<?> input, int chunksize, int window, boolean ordered,
            Codec codec, Runnable poke, Consumer<PoolJob> stop, ToLongFunction<PoolJob> running) {
        super(functionId, function, RunTask.Mode.APPLY);
        this.input = input;
        this.chunksize = chunksize;
        this.window = window;
        this.ordered = ordered;
        this.codec = codec;
        this.poke = poke;
        this.stop = stop;
        this.running = running;
    }

    @Override
    synchronized Chunk nextChunk() {
        if (closed || inputDone || cancelled != null || pulledChunks - consumedChunks >= window) {
            return null;
        }
        List<Object> arguments = new ArrayList<>(chunksize);
        int index = pulledChunks;
        try {
            while (arguments.size() < chunksize && input.hasNext()) {
                arguments.add(input.next());
            }
        } catch (RuntimeException e) {
            inputDone = true;
            pulledChunks++;
            record(index, new Outcome(null, new MultiprocException("imap input iterator threw: " + e, e)));
            return null;
        }
        if (arguments.isEmpty()) {
            inputDone = true;
            notifyAll();
            return null;
        }
        pulledChunks++;
        itemsRead += arguments.size();
        try {
            return new Chunk(this, index, ByteString.copyFrom(codec.encode(arguments)), arguments.size());
        } catch (SerializationException e) {
            count(arguments.size(), false);
            record(index, new Outcome(null, e));
            return null;
        }
    }

    @Override
    synchronized boolean exhausted() {
        return closed || inputDone || cancelled != null;
    }

    @Override
    synchronized boolean abandoned() {
        return closed || cancelled != null;
    }

    @Override
    synchronized long totalItems() {
        return inputDone ? itemsRead : -1;
    }

    @Override
    public Progress progress() {
        return progress(running.applyAsLong(this));
    }

    @Override
    synchronized void completed(Chunk chunk, List<?> results) {
        count(chunk, true);
        record(chunk.index, new Outcome(results, null));
    }

    @Override
    synchronized void failed(Chunk chunk, Throwable error) {
        count(chunk, false);
        record(chunk.index, new Outcome(null, error));
    }

    @Override
    synchronized void cancel(Throwable reason) {
        if (cancelled == null) {
            cancelled = reason;
        }
        notifyAll();
    }

    private void record(int index, Outcome outcome) {
        ready.put(index, outcome);
        completionOrder.add(index);
        notifyAll();
    }

    @Override
    public boolean hasNext() {
        boolean freed = false;
        try {
            synchronized (this) {
                if (current != null && !current.hasNext()) {
                    current = null;
                    consumedChunks++;
                    freed = true;
                }
                if ((current != null && current.hasNext()) || consumedChunks < pulledChunks || cancelled != null) {
                    return true;
                }
                if (inputDone || closed) {
                    return false;
                }
                try {
                    if (input.hasNext()) {
                        return true; // the pool pulls it as soon as a worker is free
                    }
                } catch (RuntimeException e) {
                    inputDone = true;
                    record(pulledChunks++, new Outcome(null,
                            new MultiprocException("imap input iterator threw: " + e, e)));
                    return true;
                }
                inputDone = true;
                return false;
            }
        } finally {
            if (freed) {
                poke.run(); // outside our monitor: the pool takes its lock before ours
            }
        }
    }

    @Override
    public R next() {
        try {
            return next(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MultiprocException("interrupted while waiting for imap results", e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public R next(long timeout, TimeUnit unit) throws TimeoutException, InterruptedException {
        if (!hasNext()) {
            throw new NoSuchElementException("no more imap results");
        }
        long deadline = System.nanoTime() + Math.min(unit.toNanos(timeout), Long.MAX_VALUE / 4);
        boolean freed = false;
        try {
            synchronized (this) {
                while (true) {
                    if (current != null && current.hasNext()) {
                        R value = (R) current.next();
                        if (!current.hasNext()) {
                            // the chunk's last result is handed out: its place in the window goes to the next
                            // chunk now, not at the consumer's next call, so that one is on its way meanwhile
                            current = null;
                            consumedChunks++;
                            freed = true;
                        }
                        return value;
                    }
                    if (current != null) {
                        current = null;
                        consumedChunks++;
                        freed = true;
                        continue;
                    }
                    if (cancelled != null) {
                        throw rethrow(cancelled);
                    }
                    Integer index = ordered ? (ready.containsKey(consumedChunks) ? consumedChunks : null)
                            : completionOrder.peekFirst();
                    if (index != null) {
                        completionOrder.remove(index);
                        Outcome outcome = ready.remove(index);
                        if (outcome.error != null) {
                            consumedChunks++;
                            freed = true;
                            throw rethrow(outcome.error);
                        }
                        current = outcome.results.iterator();
                        continue;
                    }
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        throw new TimeoutException("no imap result within " + timeout + " " + unit);
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, remaining);
                }
            }
        } finally {
            if (freed) {
                poke.run();
            }
        }
    }

    private static RuntimeException rethrow(Throwable error) {
        return error instanceof RuntimeException runtime ? CallerFrames.copy(runtime)
                : new MultiprocException(error.toString(), error);
    }

    @Override
    public void close() {
        boolean first;
        synchronized (this) {
            first = !closed;
            closed = true;
            notifyAll();
        }
        if (first) {
            stop.accept(this);
        }
        poke.run();
    }
}
