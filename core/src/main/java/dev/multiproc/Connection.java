package dev.multiproc;

import dev.multiproc.internal.handle.ConnectionWait;
import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One end of a {@link Pipe}: Python's {@code multiprocessing.connection.Connection}. Objects are serialized by the
 * sender and deserialized by the receiver; byte messages ({@link #sendBytes}) pass as they are.
 *
 * <p>Serializable: pass an end of a {@link Pipe} to a child, and there it is the same end. A connection made by
 * {@link Multiproc#connect} or {@link Listener#accept()} is a socket of this process and cannot travel: serializing
 * it throws {@link java.io.NotSerializableException} (a {@link SerializationException} when it is captured by a task);
 * let the child connect by itself. Thread-safe, but like Python's a connection is meant to be used by one process
 * at a time.
 *
 * <p>{@link #wait(Collection, long, TimeUnit)} waits for the first of several connections, of any kind, to have
 * something to receive: Python's {@code multiprocessing.connection.wait}.
 *
 * @param <T> the type of the objects sent
 */
public interface Connection<T> extends Serializable, AutoCloseable {
    /**
     * Sends an object to the other end. Like Python's, it may wait while the pipe's buffer is full (a transport's
     * native pipe has a bounded one, for example the shm transport's ring), until the other end receives.
     *
     * @param object the object; serializable, not null
     * @throws ChannelClosedException if either end is closed
     * @throws SerializationException if the object cannot be serialized (nothing is sent)
     * @throws IllegalArgumentException if the encoded object is larger than the context's message limit
     *         ({@link Context.Builder#maxMessageSize(int)}; nothing is sent)
     * @throws UnsupportedOperationException if this is the receiving end of a one-way pipe
     */
    void send(T object);

    /**
     * Waits for the next object from the other end.
     *
     * @return the object
     * @throws InterruptedException if interrupted while waiting
     * @throws ChannelClosedException if the other end closed and everything it sent has been received (Python's
     *         {@code EOFError})
     * @throws IllegalStateException if the next message was sent with {@link #sendBytes} (use
     *         {@link #recvBytes()})
     */
    T recv() throws InterruptedException;

    /**
     * Sends a byte message to the other end; it is received whole by {@link #recvBytes()}.
     *
     * @param bytes the message
     * @param offset where the message starts in {@code bytes}
     * @param length the message's length
     * @throws ChannelClosedException if either end is closed
     */
    void sendBytes(byte[] bytes, int offset, int length);

    /**
     * Sends a byte message to the other end.
     *
     * @param bytes the message
     * @throws ChannelClosedException if either end is closed
     */
    default void sendBytes(byte[] bytes) {
        sendBytes(bytes, 0, bytes.length);
    }

    /**
     * Waits for the next byte message from the other end.
     *
     * @return the message
     * @throws InterruptedException if interrupted while waiting
     * @throws ChannelClosedException if the other end closed and everything it sent has been received
     * @throws IllegalStateException if the next message was sent with {@link #send} (use {@link #recv()})
     */
    byte[] recvBytes() throws InterruptedException;

    /**
     * Waits at most the given time for something to receive: Python's {@code poll(timeout)}.
     *
     * @param timeout how long to wait; 0 to check without waiting
     * @param unit the unit of {@code timeout}
     * @return true if a message is ready (or the other end closed, so that {@code recv} will not block)
     * @throws InterruptedException if interrupted while waiting
     */
    boolean poll(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * @return true if this end can send
     */
    boolean canSend();

    /**
     * @return true if this end can receive
     */
    boolean canReceive();

    /**
     * Closes this end for every process: the other end receives what was already sent, then
     * {@link ChannelClosedException}.
     */
    @Override
    void close();

    /**
     * Waits until at least one of the connections has something to receive, or the timeout passes: Python's
     * {@code multiprocessing.connection.wait}. A connection counts as ready when a {@link #recv()} (or
     * {@link #recvBytes()}) would not block: a message is there, or the other end has closed (the receive then
     * throws {@link ChannelClosedException}), or this end is closed. Nothing is received: the messages stay for
     * {@code recv}.
     *
     * <p>Works for every kind of connection multiproc makes, mixed in one call: ends of a {@link Pipe} of any
     * transport, in the parent or in a child, and connections made by {@link Multiproc#connect} and
     * {@link Listener#accept()}. A connection made by multiproc's listener or client is watched without polling (its
     * reader thread reports each arrival); a pipe end is watched by a helper thread that waits in its
     * {@link #poll(long, TimeUnit)}, so waiting costs what that transport's poll costs (nothing on the pipe and
     * socket transports, where the wait is parked in the parent; the shm transport's back-off on shm). See the user
     * guide for measured costs.
     *
     * <p>When one connection is ready, the others are checked once more before this returns, so every connection
     * ready at that moment is in the list: a loop that receives from each returned connection serves them all
     * fairly.
     *
     * @param connections the connections to watch; each must be able to receive
     * @param timeout how long to wait; 0 to check without waiting
     * @param unit the unit of {@code timeout}
     * @param <C> the type of the connections
     * @return the ready connections, in the order given (each once); empty if none was ready in time
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalArgumentException if a connection cannot receive (the sending end of a one-way pipe)
     * @throws NullPointerException if {@code connections} or one of its elements is null
     */
    static <C extends Connection<?>> List<C> wait(Collection<? extends C> connections, long timeout, TimeUnit unit)
            throws InterruptedException {
        return ConnectionWait.await(connections, unit.toNanos(timeout));
    }

    /**
     * Waits, for as long as it takes, until at least one of the connections has something to receive: Python's
     * {@code multiprocessing.connection.wait(connections)} without a timeout. See
     * {@link #wait(Collection, long, TimeUnit)}.
     *
     * @param connections the connections to watch; each must be able to receive
     * @param <C> the type of the connections
     * @return the ready connections, in the order given (each once); never empty, unless {@code connections} is
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalArgumentException if a connection cannot receive
     */
    static <C extends Connection<?>> List<C> wait(Collection<? extends C> connections) throws InterruptedException {
        return ConnectionWait.await(connections, Long.MAX_VALUE);
    }
}
