/**
 * Connections between programs that did not start each other: {@link dev.multiproc.Listener} and
 * {@link dev.multiproc.Multiproc#connect}, over JDK sockets (TCP or Unix domain), with a mutual HMAC handshake
 * ({@link dev.multiproc.internal.net.NetHandshake}) before any message is read. Not API.
 */
package dev.multiproc.internal.net;
