package dev.multiproc;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Accepts authenticated {@link Connection}s from other programs: Python's
 * {@code multiprocessing.connection.Listener}. Made by {@link Multiproc#listen(SocketAddress, byte[])} (or
 * {@link Multiproc#listenerBuilder(SocketAddress, byte[])} for options); a program connects to it with
 * {@link Multiproc#connect(SocketAddress, byte[])} and the same key, from any JVM on this machine or another.
 *
 * <p>The listener authenticates each client on a thread of its own, before {@link #accept()} sees it, so a client
 * that says nothing, or sends what is not the protocol, never holds up the others: it is dropped once the
 * handshake timeout passes (or at its first wrong byte). A client whose key differs is refused; {@code accept}
 * throws {@link AuthenticationException} for it, and the next {@code accept} serves the next client.
 *
 * <p>Thread-safe. Closing the listener stops accepting and closes the connections it authenticated that nobody
 * accepted; connections already accepted stay open. For a Unix domain socket address, the listener creates the
 * socket file and deletes it when closed.
 */
public interface Listener extends AutoCloseable {

    /**
     * Waits for the next authenticated client.
     *
     * @param <T> the type of the objects the connection carries
     * @return a connection to the client
     * @throws InterruptedException if interrupted while waiting
     * @throws AuthenticationException if the next client to finish its handshake had another key (the listener goes
     *         on)
     * @throws ChannelClosedException if the listener is closed
     */
    <T> Connection<T> accept() throws InterruptedException;

    /**
     * Waits at most the given time for the next authenticated client.
     *
     * @param timeout how long to wait; 0 to take one only if it is there
     * @param unit the unit of {@code timeout}
     * @param <T> the type of the objects the connection carries
     * @return a connection to the client
     * @throws InterruptedException if interrupted while waiting
     * @throws TimeoutException if no client came in time
     * @throws AuthenticationException if the next client to finish its handshake had another key (the listener goes
     *         on)
     * @throws ChannelClosedException if the listener is closed
     */
    <T> Connection<T> accept(long timeout, TimeUnit unit) throws InterruptedException, TimeoutException;

    /**
     * @return the address clients connect to: the bound one, so a TCP port 0 is replaced by the port chosen
     */
    SocketAddress address();

    /** Stops accepting and releases the address (a Unix socket's file is deleted). Idempotent. */
    @Override
    void close();

    /**
     * Options of a listener, made by {@link Multiproc#listenerBuilder(SocketAddress, byte[])}. Not thread-safe.
     */
    interface Builder {
        /**
         * @param backlog how many connections the operating system queues before the listener takes them; default 50
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        Builder backlog(int backlog);

        /**
         * @param bytes the largest message this side receives, default 256 MiB; a client's {@code send} refuses what
         *        is larger (and a client that sends it anyway has its connection closed)
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        Builder maxMessageSize(int bytes);

        /**
         * @param timeout how long a client may take to authenticate before it is dropped; default 10 s
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        Builder handshakeTimeout(Duration timeout);

        /**
         * Binds the address and starts accepting.
         *
         * @return the listener
         * @throws java.io.IOException if the address cannot be bound (in use, a Unix socket file that exists, no
         *         permission)
         */
        Listener open() throws java.io.IOException;
    }
}
