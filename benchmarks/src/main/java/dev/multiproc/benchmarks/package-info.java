/**
 * multiproc's benchmarks: the entry point of {@code multiproc-benchmarks.jar} ({@link
 * dev.multiproc.benchmarks.BenchmarkMain}, which runs the JMH suite on every transport on the class path) and the
 * transport discovery the comparison runner ({@code benchmarks/run.py}) uses.
 *
 * <p>The JMH workloads are in {@code dev.multiproc.benchmarks.jmh}, the raw media without the framework in
 * {@code dev.multiproc.benchmarks.raw}, chart rendering in {@code dev.multiproc.benchmarks.report}. Nothing here is
 * API: it exists to measure.
 */
package dev.multiproc.benchmarks;
