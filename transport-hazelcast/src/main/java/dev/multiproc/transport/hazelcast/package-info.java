/**
 * The Hazelcast transport: multiproc on a Hazelcast cluster (open-source edition, 5.x).
 *
 * <p>The parent starts an embedded member (bound to {@code 127.0.0.1}, TCP-IP join, multicast off) unless it is
 * told to join others; each child joins the cluster as a Hazelcast client and talks to its parent through two
 * bounded {@code IQueue}s of {@code byte[]}, one per direction. Every element is a frame with a sequence number and an
 * HMAC-SHA256 under a random per-context key that reaches children on their stdin: nothing a third party puts in a
 * queue is delivered, reordered or replayed. Hazelcast's own Java deserialization is refused outright
 * ({@link dev.multiproc.transport.hazelcast.HazelcastConfigs}): only {@code byte[]} crosses.
 */
package dev.multiproc.transport.hazelcast;
