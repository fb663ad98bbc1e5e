package dev.multiproc;

import java.io.Serializable;
import java.util.concurrent.TimeUnit;

/**
 * One end of a {@link Pipe}: Python's {@code multiprocessing.connection.Connection}. Objects are serialized by the
 * sender and deserialized by the receiver; byte messages ({@link #sendBytes}) pass as they are.
 *
 * <p>Serializable: pass it to a child, and there it is the same end. Thread-safe, but like Python's a connection
 * is meant to be used by one process at a time.
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
}
