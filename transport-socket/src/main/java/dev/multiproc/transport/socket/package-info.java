/**
 * The socket transport: multiproc over TCP, by default on the loopback interface.
 *
 * <p>The parent listens with Netty (native epoll where the platform has it, NIO otherwise) on one event-loop group
 * per context; children connect back with plain JDK sockets, which keeps Netty's classes out of every child's
 * start-up. Frames are core's envelopes behind a 4-byte big-endian length.
 *
 * <p>Nothing is read from a peer as a message before it has authenticated
 * ({@link dev.multiproc.transport.socket.SocketHandshake}): an HMAC-SHA256 challenge in both directions on a
 * random per-context key, which reaches each child on its stdin, never on a command line.
 *
 * <p>Pool workers may also run on other hosts: {@link dev.multiproc.transport.socket.RemoteWorker} is their main
 * class. They authenticate with a key file shared with the parent
 * ({@link dev.multiproc.transport.socket.SocketTransport#AUTHKEY_FILE}), and their connection is their
 * lifeline.
 */
package dev.multiproc.transport.socket;
