package dev.multiproc.spi;

import java.io.Serializable;
import java.util.concurrent.TimeUnit;

/**
 * One end of a pipe that a transport implements on its own medium (see {@link NativePrimitives#pipe(boolean)}).
 * It carries whole byte messages, each tagged with a small {@code kind} that core uses to tell objects from raw
 * bytes; core does the encoding and gives users a {@link dev.multiproc.Connection}.
 *
 * <p>The end is {@link Serializable}: deserialized in another process of the same context, it is a working handle
 * to the same end. Threads of a process may share an end; the implementation serializes their sends, and their
 * receives, so that messages are never interleaved or split between receivers. Like Python's {@code Connection},
 * an end is meant for one process at a time: a transport may let several use it at once (the hub's and the shm
 * transport's pipes do), or hand it to one process at a time (the socket transport's), in which case a process
 * that uses it while another holds it must get an exception that says so, never a hang or a lost message.
 */
public interface NativeConnection extends Serializable {

    /**
     * Sends one message; blocks while the medium is full.
     *
     * @param kind a tag from 0 to 255 that the receiver asks for
     * @param bytes the message is {@code bytes[offset, offset + length)}
     * @param offset where the message starts
     * @param length its length
     * @throws dev.multiproc.ChannelClosedException if either end is closed
     * @throws UnsupportedOperationException if this end cannot send (the receiving end of a one-way pipe)
     * @throws IllegalArgumentException if the message is larger than the transport carries
     */
    void send(int kind, byte[] bytes, int offset, int length);

    /**
     * Takes the next message, if it is of the expected kind.
     *
     * @param kind the kind the caller expects
     * @param timeout how long to wait; 0 or less: do not wait
     * @param unit the unit of {@code timeout}
     * @return the message, or null if none arrived in time
     * @throws InterruptedException if interrupted while waiting
     * @throws dev.multiproc.ChannelClosedException if the other end closed and everything it sent was received, or
     *         this end is closed
     * @throws IllegalStateException if the next message is of another kind; it stays in the pipe
     * @throws UnsupportedOperationException if this end cannot receive
     */
    byte[] receive(int kind, long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * @param timeout how long to wait
     * @param unit the unit of {@code timeout}
     * @return true if a message is ready, or the other end closed (a receive would not block)
     * @throws InterruptedException if interrupted while waiting
     */
    boolean poll(long timeout, TimeUnit unit) throws InterruptedException;

    /** @return true if this end can send */
    boolean canSend();

    /** @return true if this end can receive */
    boolean canReceive();

    /** Closes this end: the peer receives what was sent before, then sees the close. Idempotent. */
    void close();
}
