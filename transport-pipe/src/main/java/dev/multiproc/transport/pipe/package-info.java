/**
 * The pipe transport: multiproc over each child's anonymous stdin (parent to child) and stdout (child to parent)
 * pipes. Nothing to configure, nothing to clean up, no port or file: the pipes die with the processes.
 *
 * <p>Frame layout ({@link dev.multiproc.transport.pipe.PipeFrameDescriptor}): an 8-byte header (a NUL byte,
 * {@code 'M'}, {@code 'P'}, the framing version, a 32-bit big-endian length) and the message. Because a frame
 * always starts with NUL, bytes that something other than multiproc wrote to the child's fd 1 (native code, a
 * JVM message) are recognised as stray text, passed to the parent's standard output, and skipped, instead of
 * corrupting the stream.
 */
package dev.multiproc.transport.pipe;
