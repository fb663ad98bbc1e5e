/**
 * Runs in the parent: {@link dev.multiproc.internal.pool.PoolImpl}, the {@code Pool} users hold; its jobs (eager,
 * lazy), and {@link dev.multiproc.internal.pool.PoolScheduler}, which gives chunks to worker processes and deals
 * with their crashes. Not API.
 */
package dev.multiproc.internal.pool;
