/**
 * Runs in a child process or a remote worker: {@link dev.multiproc.internal.child.ChildMain}, the main class of
 * every child JVM, and {@link dev.multiproc.internal.child.ChildRuntime}, its channel to the parent and the worker
 * loop. Not API.
 */
package dev.multiproc.internal.child;
