/**
 * The shared-buffer comparison: bulk copies, attaching a large buffer and element increments from two processes,
 * measured by {@link dev.multiproc.benchmarks.buffers.BufferBench} next to Python's {@code SharedMemory} and
 * {@code Array} ({@code benchmarks/python/buffer_bench.py}); {@code benchmarks/buffers.py} runs both side by side.
 */
package dev.multiproc.benchmarks.buffers;
