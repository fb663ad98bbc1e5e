/**
 * Runs in the parent: {@link dev.multiproc.internal.hub.Hub}, the state of a context's hub-backed primitives (locks,
 * semaphores, events, queues, numbers and values) and the operations on it, which every process's handles call.
 * Not API.
 */
package dev.multiproc.internal.hub;
