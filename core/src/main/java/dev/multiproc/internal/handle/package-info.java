/**
 * Runs in every process: the handles users hold for shared primitives. Hub-backed handles send each operation to
 * the parent's hub (a direct call in the parent, a round trip from a child: see
 * {@link dev.multiproc.internal.handle.Invoker}); native ones wrap what a transport provides. Not API.
 */
package dev.multiproc.internal.handle;
