package dev.multiproc.internal.pool;

import dev.multiproc.Job;
import dev.multiproc.Pool;
import dev.multiproc.internal.ContextImpl;
import java.time.Duration;
import java.util.Objects;

/** Collects a pool's options; {@link #build()} starts it. */
public final class PoolBuilderImpl implements Pool.Builder {
    /** System property: the default of {@link #remoteWorkers(int)}. */
    static final String REMOTE_WORKERS_PROPERTY = "multiproc.pool.remoteWorkers";

    private final ContextImpl context;
    private String name;
    private int workers = Runtime.getRuntime().availableProcessors();
    private byte[] initializer;
    private int maxTasksPerChild;
    private Duration startTimeout = Duration.ofSeconds(60);
    private int remoteWorkers = defaultRemoteWorkers();
    /** A chunk that kills two workers is not run a third time (issue 14's poison-task rule). */
    private int retries = 1;
    private Duration taskTimeout;
    private Duration interruptGrace = PoolSpec.DEFAULT_INTERRUPT_GRACE;

    public PoolBuilderImpl(ContextImpl context, String name) {
        this.context = context;
        this.name = name;
    }

    @Override
    public Pool.Builder workers(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("a pool needs at least 1 worker: " + workers);
        }
        this.workers = workers;
        return this;
    }

    @Override
    public Pool.Builder initializer(Job initializer) {
        this.initializer = initializer == null ? null : context.codec().encode(initializer);
        return this;
    }

    @Override
    public Pool.Builder maxTasksPerChild(int maxTasksPerChild) {
        if (maxTasksPerChild < 0) {
            throw new IllegalArgumentException("maxTasksPerChild must be >= 0 (0: no limit): " + maxTasksPerChild);
        }
        this.maxTasksPerChild = maxTasksPerChild;
        return this;
    }

    private static int defaultRemoteWorkers() {
        String value = System.getProperty(REMOTE_WORKERS_PROPERTY);
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            int count = Integer.parseInt(value.trim());
            if (count >= 0) {
                return count;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + REMOTE_WORKERS_PROPERTY + "=" + value
                + " is not a number of workers (0 or more)");
    }

    @Override
    public Pool.Builder remoteWorkers(int remoteWorkers) {
        if (remoteWorkers < 0) {
            throw new IllegalArgumentException("remoteWorkers must be >= 0: " + remoteWorkers);
        }
        this.remoteWorkers = remoteWorkers;
        return this;
    }

    @Override
    public Pool.Builder retries(int retries) {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0 (0: a crash fails the chunk): " + retries);
        }
        this.retries = retries;
        return this;
    }

    @Override
    public Pool.Builder name(String name) {
        this.name = Objects.requireNonNull(name, "name");
        return this;
    }

    @Override
    public Pool.Builder startTimeout(Duration startTimeout) {
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout must be positive: " + startTimeout);
        }
        this.startTimeout = startTimeout;
        return this;
    }

    @Override
    public Pool.Builder taskTimeout(Duration taskTimeout) {
        if (taskTimeout != null && (taskTimeout.isNegative() || taskTimeout.isZero())) {
            throw new IllegalArgumentException("taskTimeout must be positive, or null for none: " + taskTimeout);
        }
        this.taskTimeout = taskTimeout;
        return this;
    }

    @Override
    public Pool.Builder interruptGrace(Duration interruptGrace) {
        if (interruptGrace.isNegative()) {
            throw new IllegalArgumentException("interruptGrace must be 0 or more: " + interruptGrace);
        }
        this.interruptGrace = interruptGrace;
        return this;
    }

    @Override
    public Pool build() {
        if (remoteWorkers > workers) {
            throw new IllegalArgumentException("remoteWorkers (" + remoteWorkers + ") exceeds the pool's workers ("
                    + workers + "); the remote workers are counted among them: raise workers(n)");
        }
        return context.startPool(new PoolSpec(name, workers, initializer, maxTasksPerChild, startTimeout,
                remoteWorkers, retries, taskTimeout, interruptGrace));
    }
}
