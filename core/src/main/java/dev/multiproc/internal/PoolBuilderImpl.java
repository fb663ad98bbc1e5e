package dev.multiproc.internal;

import dev.multiproc.Job;
import dev.multiproc.Pool;
import java.time.Duration;
import java.util.Objects;

/** Collects a pool's options; {@link #build()} starts it. */
final class PoolBuilderImpl implements Pool.Builder {
    private final ContextImpl context;
    String name;
    int workers = Runtime.getRuntime().availableProcessors();
    byte[] initializer;
    int maxTasksPerChild;
    Duration startTimeout = Duration.ofSeconds(60);

    PoolBuilderImpl(ContextImpl context, String name) {
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
    public Pool build() {
        return context.startPool(this);
    }
}
