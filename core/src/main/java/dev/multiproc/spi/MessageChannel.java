package dev.multiproc.spi;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An ordered, reliable, duplex channel of whole messages between the parent and one child. See the
 * {@linkplain dev.multiproc.spi package documentation} for the contract.
 */
public interface MessageChannel extends AutoCloseable {

    /**
     * Starts delivering received messages to the handler. Called once.
     *
     * @param handler receives every message, then the close
     */
    void start(MessageHandler handler);

    /**
     * Sends one message: the bytes from the buffer's position to its limit. Thread-safe; messages from concurrent
     * callers are not interleaved. May block while the medium is full (back-pressure); never drops.
     *
     * @param message the message; the channel does not keep the buffer after returning
     * @throws IOException if the channel is closed or broken; the message was then not delivered
     * @throws IllegalArgumentException if the message is larger than {@link #maxMessageSize()}; nothing was sent
     */
    void send(ByteBuffer message) throws IOException;

    /**
     * @return the largest message this channel carries, in bytes
     */
    int maxMessageSize();

    /**
     * Refuses a message larger than a channel carries, with the message users see from every transport. For
     * implementations of {@link #send(ByteBuffer)}.
     *
     * @param length the message's length in bytes
     * @param maxMessageSize the channel's maximum
     * @throws IllegalArgumentException if {@code length > maxMessageSize}
     */
    static void checkMessageSize(int length, int maxMessageSize) {
        if (length > maxMessageSize) {
            throw new IllegalArgumentException("message of " + length + " bytes exceeds the maximum of "
                    + maxMessageSize + " bytes (raise it with -Dmultiproc.maxMessageSize)");
        }
    }

    /**
     * Closes the channel; the peer sees the close. Idempotent. The handler gets
     * {@link MessageHandler#onClose(Throwable)} with a null cause, if it has not had its close already.
     */
    @Override
    void close();
}
