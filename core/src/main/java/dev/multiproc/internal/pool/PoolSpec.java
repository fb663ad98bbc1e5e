package dev.multiproc.internal.pool;

import java.time.Duration;

/**
 * A pool's options, frozen when {@link PoolBuilderImpl#build()} is called: changing the builder afterwards changes
 * nothing of a running pool.
 *
 * @param name the pool's name, the prefix of its workers' names
 * @param workers how many workers it keeps, remote ones included
 * @param initializer the encoded job each worker runs first, or null
 * @param maxTasksPerChild tasks after which a worker is replaced, 0 for no limit
 * @param startTimeout how long a worker may take to connect
 * @param remoteWorkers how many of the workers are remote
 * @param retries how many times a chunk whose worker died runs again elsewhere
 * @param taskTimeout how long one item of a chunk may run, or null for no limit
 * @param interruptGrace how long an interrupted task may take to return before its worker is killed
 */
@SuppressWarnings("ArrayRecordComponent") // a spec is never compared; the initializer is its encoded bytes
public record PoolSpec(String name, int workers, byte[] initializer, int maxTasksPerChild, Duration startTimeout,
        int remoteWorkers, int retries, Duration taskTimeout, Duration interruptGrace) {
    /** The default of {@link dev.multiproc.Pool.Builder#interruptGrace(Duration)}. */
    public static final Duration DEFAULT_INTERRUPT_GRACE = Duration.ofSeconds(1);
}
