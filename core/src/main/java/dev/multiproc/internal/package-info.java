/**
 * The runtime behind the public API. Not API: anything here and below may change in any release. This package holds
 * the {@code Context} ({@link dev.multiproc.internal.ContextImpl}, which owns a context's transport, hub, children
 * and pools), the transport lookup, and what every side shares: the protocol's constants and how an exception
 * travels between processes. The rest is split by concern and by the process it runs in:
 * <ul>
 *   <li>{@code internal.parent}: runs in the parent: launching a child JVM and the parent's link to each child;</li>
 *   <li>{@code internal.child}: runs in a child (and a remote worker): its main class and runtime;</li>
 *   <li>{@code internal.hub}: runs in the parent: the state of every hub-backed primitive, and its operations;</li>
 *   <li>{@code internal.handle}: runs in every process: the handles users hold (queues, pipes, locks, values),
 *       which reach the hub or a transport's native primitive;</li>
 *   <li>{@code internal.pool}: runs in the parent: pools, their jobs and their scheduling over workers;</li>
 *   <li>{@code internal.codec}: every process: the default codecs;</li>
 *   <li>{@code internal.protocol}: generated from {@code multiproc.proto}: the messages on every channel.</li>
 * </ul>
 */
package dev.multiproc.internal;
