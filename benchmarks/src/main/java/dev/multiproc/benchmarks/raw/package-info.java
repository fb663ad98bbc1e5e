/**
 * The raw media multiproc's transports run on, without the framework: the floor each transport is compared with.
 * Each medium is a ping-pong between this JVM and a child JVM started from the same class path: stdio pipes
 * ({@link dev.multiproc.benchmarks.raw.StreamPingPong}), loopback TCP with plain JDK sockets (the same class),
 * Netty ({@link dev.multiproc.benchmarks.raw.NettyPingPong}) and an mmap'd file in {@code /dev/shm}
 * ({@link dev.multiproc.benchmarks.raw.MmapPingPong}). {@link dev.multiproc.benchmarks.raw.RawMedia} runs one and
 * prints its figures as one JSON object.
 */
package dev.multiproc.benchmarks.raw;
