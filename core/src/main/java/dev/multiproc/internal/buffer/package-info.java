/**
 * Shared buffers and their typed arrays: one implementation of the public API over two kinds of storage, memory a
 * transport maps into every process ({@link dev.multiproc.spi.NativeBuffer}) and the parent's hub.
 */
package dev.multiproc.internal.buffer;
