/**
 * multiproc: Python's {@code multiprocessing} model for the JVM.
 *
 * <p>Start with {@link dev.multiproc.Multiproc#context()}: a {@link dev.multiproc.Context} owns every child
 * process, pool and shared primitive it creates, and releases them all when it is closed. The IPC transport
 * (anonymous pipes, loopback sockets, shared memory) is chosen by which transport module is on the class path,
 * or by name with {@code -Dmultiproc.transport=NAME}; the code that uses this package is the same for every
 * transport.
 *
 * <p>Handles to shared primitives ({@link dev.multiproc.SharedInt}, {@link dev.multiproc.SharedLock},
 * {@link dev.multiproc.Queue}, ...) are serializable: pass them to children as task arguments or capture them in
 * lambdas, and in the child they are the same shared object.
 */
package dev.multiproc;
