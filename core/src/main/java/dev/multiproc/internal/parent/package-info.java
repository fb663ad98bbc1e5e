/**
 * Runs in the parent: how a child JVM is launched (its command, class path or module path, class-data-sharing
 * archive, Spring Boot jars made reachable), and {@link dev.multiproc.internal.parent.ChildLink}, the parent's side
 * of one child (handshake, output, hub calls, exit), with {@link dev.multiproc.internal.parent.ChildProcessImpl},
 * the {@code ChildProcess} users hold. Not API.
 */
package dev.multiproc.internal.parent;
