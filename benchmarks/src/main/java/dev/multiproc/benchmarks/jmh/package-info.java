/**
 * The JMH suite: the same workloads as {@code benchmarks/python/mp_bench.py} runs in Python's multiprocessing,
 * measured on every transport (the {@code transport} parameter, which {@link
 * dev.multiproc.benchmarks.BenchmarkMain} fills with every transport on the class path).
 *
 * <p>Each benchmark class is its own JMH state: it opens a {@link dev.multiproc.Context} on the chosen transport
 * once per trial (not timed), starts the peer processes it needs, and closes everything at the end of the trial.
 * Peer processes are children of the JMH fork, started from the same jar.
 */
package dev.multiproc.benchmarks.jmh;
