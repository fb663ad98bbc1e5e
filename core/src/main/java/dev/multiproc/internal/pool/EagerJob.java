package dev.multiproc.internal.pool;

import com.google.protobuf.ByteString;
import dev.multiproc.internal.protocol.RunTask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A job whose chunks are all encoded at submit time (map, starmap, submit, apply): serialization errors surface in
 * the caller's thread, before anything is sent. Every chunk runs, even after one has failed (Python's
 * {@code map} too runs every task before it raises): the future completes once all have come back, with every
 * result in input order, or with the failure of the earliest chunk that failed, the other chunks' failures
 * attached to it as suppressed exceptions (at most {@value #MAX_SUPPRESSED}). A job none of whose chunks has gone
 * to a worker can be {@linkplain PoolScheduler#withdraw withdrawn}: it then never runs.
 */
final class EagerJob extends PoolJob {
    /** How many later failures the thrown one carries as suppressed; a map of a million failing items is not. */
    static final int MAX_SUPPRESSED = 16;

    private final List<ByteString> chunks;
    private final int[] offsets;
    private final Object[] results;
    /** The failure of each chunk that failed, by chunk index (guarded by this). */
    private final TreeMap<Integer, Throwable> failures = new TreeMap<>();
    private final CompletableFuture<List<Object>> future = new CompletableFuture<>();
    private int nextChunk;
    private int pendingChunks;
    /** Set, under the pool's lock, when the job is withdrawn before any chunk was handed out. */
    private boolean withdrawn;

    /**
     * @param chunks the encoded argument lists
     * @param sizes how many arguments each chunk holds
     */
    EagerJob(long functionId, ByteString function, RunTask.Mode mode, List<ByteString> chunks, int[] sizes) {
        super(functionId, function, mode);
        this.chunks = chunks;
        this.offsets = new int[sizes.length];
        int total = 0;
        for (int i = 0; i < sizes.length; i++) {
            offsets[i] = total;
            total += sizes[i];
        }
        this.results = new Object[total];
        this.pendingChunks = chunks.size();
        if (pendingChunks == 0) {
            future.complete(List.of());
        }
    }

    CompletableFuture<List<Object>> future() {
        return future;
    }

    /**
     * Withdraws the job if no chunk of it has been handed to a worker (called under the pool's lock); the caller
     * then {@linkplain #cancel cancels} it, outside the lock.
     *
     * @return true if withdrawn: it will never run
     */
    boolean withdraw() {
        if (nextChunk > 0 || future.isDone()) {
            return false;
        }
        withdrawn = true;
        return true;
    }

    @Override
    Chunk nextChunk() {
        if (withdrawn || future.isDone() || nextChunk >= chunks.size()) {
            return null;
        }
        int index = nextChunk++;
        int end = index + 1 < offsets.length ? offsets[index + 1] : results.length;
        return new Chunk(this, index, chunks.get(index), end - offsets[index]);
    }

    @Override
    boolean exhausted() {
        return withdrawn || future.isDone() || nextChunk >= chunks.size();
    }

    @Override
    boolean abandoned() {
        return withdrawn || future.isDone();
    }

    @Override
    long totalItems() {
        return results.length;
    }

    @Override
    long queuedItems() {
        return abandoned() || nextChunk >= chunks.size() ? 0 : results.length - offsets[nextChunk];
    }

    @Override
    void completed(Chunk chunk, List<?> chunkResults) {
        count(chunk, true);
        synchronized (this) {
            for (int i = 0; i < chunkResults.size(); i++) {
                results[offsets[chunk.index] + i] = chunkResults.get(i);
            }
        }
        chunkDone();
    }

    @Override
    void failed(Chunk chunk, Throwable error) {
        count(chunk, false);
        synchronized (this) {
            failures.putIfAbsent(chunk.index, error);
        }
        chunkDone();
    }

    private void chunkDone() {
        Throwable failure = null;
        synchronized (this) {
            if (--pendingChunks > 0) {
                return;
            }
            if (!failures.isEmpty()) {
                failure = failures.firstEntry().getValue();
                int attached = 0;
                for (Throwable later : failures.tailMap(failures.firstKey(), false).values()) {
                    if (attached++ == MAX_SUPPRESSED) {
                        break;
                    }
                    if (later != failure) {
                        failure.addSuppressed(later);
                    }
                }
            }
        }
        if (failure != null) {
            future.completeExceptionally(failure);
        } else {
            future.complete(new ArrayList<>(Arrays.asList(results)));
        }
    }

    @Override
    void cancel(Throwable reason) {
        future.completeExceptionally(reason);
    }
}
