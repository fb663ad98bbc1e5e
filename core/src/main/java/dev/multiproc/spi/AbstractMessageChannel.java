package dev.multiproc.spi;

import dev.multiproc.ProtocolException;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A skeletal {@link MessageChannel}: the parts of the contract that do not depend on the medium, written once (as
 * Netty's {@code AbstractChannel} is for its transports). A transport supplies how to begin delivering
 * ({@link #startDelivery()}, usually {@link #startReaderThread}), how to write one whole message
 * ({@link #write(ByteBuffer)}) and how to release the medium ({@link #closeMedium()}); this class gives it:
 * <ul>
 * <li>{@code start} once, with a close that came before it reported to the handler when it starts, after any
 * message that arrived earlier;</li>
 * <li>{@link MessageHandler#onClose(Throwable)} exactly once, whoever ends the channel first: a local
 * {@link #close()} (cause null), or the medium's own end through {@link #ended(Throwable)};</li>
 * <li>sends checked against {@link #maxMessageSize()} before anything is written, refused once closed, and
 * serialized so that messages never interleave;</li>
 * <li>a reader thread whose end (orderly, broken, or an {@link Error} in the handler) always reaches the
 * handler;</li>
 * <li>{@link #checkFrameLength(long)}, which turns an oversized incoming frame into a {@link ProtocolException}.</li>
 * </ul>
 * The three bundled transports use it; the tck's {@code MessageChannelContract} checks every one of these promises.
 */
public abstract class AbstractMessageChannel implements MessageChannel {
    /** The end of a channel closed without a cause, in {@link #end}. */
    private static final Object ORDERLY = new Object();

    private final String peer;
    private final int maxMessageSize;
    private final Object sendLock = new Object();
    /** Null while open; then the cause of the end (a Throwable), or {@link #ORDERLY}. Set once. */
    private final AtomicReference<Object> end = new AtomicReference<>();
    private final AtomicBoolean closeReported = new AtomicBoolean();
    /** Copies of messages that arrived before {@link #start}; guarded by itself. */
    private final ArrayDeque<ByteBuffer> early = new ArrayDeque<>();
    private volatile MessageHandler handler;
    /** True once {@link #start} has handed the early messages over: deliveries go straight to the handler. */
    private volatile boolean delivering;

    /**
     * @param peer who is at the other end, for messages and thread names (for example {@code "child-3"} or
     *        {@code "the parent"})
     * @param maxMessageSize the largest message this channel carries, in bytes
     * @throws IllegalArgumentException if {@code maxMessageSize} is not positive
     */
    protected AbstractMessageChannel(String peer, int maxMessageSize) {
        if (maxMessageSize <= 0) {
            throw new IllegalArgumentException("maxMessageSize must be positive: " + maxMessageSize);
        }
        this.peer = Objects.requireNonNull(peer, "peer");
        this.maxMessageSize = maxMessageSize;
    }

    /**
     * Starts delivering: hands over what arrived before, then calls {@link #startDelivery()}; if the channel has
     * already ended, reports that instead.
     *
     * @param handler receives every message, then the close
     * @throws IllegalStateException if the channel was started before
     */
    @Override
    public final void start(MessageHandler handler) {
        Objects.requireNonNull(handler, "handler");
        synchronized (early) {
            if (this.handler != null) {
                throw new IllegalStateException("the channel to " + peer + " was started already");
            }
            this.handler = handler;
            for (ByteBuffer message = early.poll(); message != null; message = early.poll()) {
                handler.onMessage(message);
            }
            delivering = true;
        }
        Object ended = end.get();
        if (ended != null) {
            reportClose(ended);
            return;
        }
        startDelivery();
    }

    /**
     * Begins delivering incoming messages through {@link #deliver(ByteBuffer)}, for example with
     * {@link #startReaderThread}. Called once, from {@link #start}, unless the channel has ended already.
     */
    protected abstract void startDelivery();

    /**
     * Reads messages until the medium ends. Runs on the thread {@link #startReaderThread} starts.
     */
    @FunctionalInterface
    protected interface Reader {
        /**
         * Reads and {@linkplain #deliver(ByteBuffer) delivers} messages; returns at an orderly end of the medium.
         *
         * @throws IOException if the medium broke ({@link EOFException}: it ended inside a message)
         */
        void readUntilEnd() throws IOException;
    }

    /**
     * Starts a daemon thread that runs the reader, then ends the channel with what stopped it: nothing for a
     * return or for an exception after a local {@link #close()}; a {@link ProtocolException} for an
     * {@link EOFException} (the medium ended inside a message); the exception itself otherwise, an {@link Error}
     * included (out of memory in the handler: the channel cannot go on, and the handler must hear why rather than
     * wait for messages nobody reads).
     *
     * @param name the thread's name
     * @param reader what the thread runs
     */
    protected final void startReaderThread(String name, Reader reader) {
        Thread thread = new Thread(() -> {
            Throwable cause = null;
            try {
                reader.readUntilEnd();
            } catch (EOFException e) {
                cause = new ProtocolException("the stream from " + peer + " ended in the middle of a message", e);
            } catch (IOException | RuntimeException | Error e) {
                cause = e; // after a local close, ended() keeps that close's null cause
            } finally {
                ended(cause);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Hands one received message to the handler; before {@link #start}, keeps a copy to hand over when it starts.
     * Call from one thread at a time (the reader, or the medium's event loop). Messages after the close was
     * reported are dropped.
     *
     * @param message the message, from position to limit; the handler may read it only during its call
     */
    protected final void deliver(ByteBuffer message) {
        if (!delivering) {
            synchronized (early) {
                if (!delivering) {
                    ByteBuffer copy = ByteBuffer.allocate(message.remaining());
                    copy.put(message.duplicate()).flip();
                    early.add(copy);
                    return;
                }
            }
        }
        if (!closeReported.get()) {
            handler.onMessage(message);
        }
    }

    /**
     * Refuses an incoming frame that claims more than this channel carries.
     *
     * @param length the length the frame's header claims, in bytes
     * @throws ProtocolException if it is negative or over {@link #maxMessageSize()}
     */
    protected final void checkFrameLength(long length) throws ProtocolException {
        if (length < 0 || length > maxMessageSize) {
            throw new ProtocolException("a message of " + length + " bytes from " + peer + " is over the maximum of "
                    + maxMessageSize + " bytes; closing the channel");
        }
    }

    /**
     * Sends one message: checks its size, refuses it once the channel is closed, and {@linkplain #write writes} it
     * while holding a lock, so that messages of concurrent senders never interleave. A medium whose own writes are
     * whole and thread-safe, or whose writer must never block (an event loop), may override this and call
     * {@link #checkSendable(ByteBuffer)} and {@link #write(ByteBuffer)} itself.
     *
     * @param message the message; the channel does not keep the buffer after returning
     * @throws IOException if the channel is closed or broken
     * @throws IllegalArgumentException if the message is larger than {@link #maxMessageSize()}; nothing was sent
     */
    @Override
    public void send(ByteBuffer message) throws IOException {
        checkSendable(message);
        synchronized (sendLock) {
            checkSendable(message);
            write(message);
        }
    }

    /**
     * @param message a message about to be sent
     * @throws IOException if the channel is closed
     * @throws IllegalArgumentException if the message is larger than {@link #maxMessageSize()}
     */
    protected final void checkSendable(ByteBuffer message) throws IOException {
        MessageChannel.checkMessageSize(message.remaining(), maxMessageSize);
        if (end.get() != null) {
            throw new IOException("the channel to " + peer + " is closed");
        }
    }

    /**
     * Writes one whole message to the medium, blocking while it is full. Called by {@link #send} one message at a
     * time.
     *
     * @param message the message, from position to limit; leave its position at its limit
     * @throws IOException if the medium is closed or broken
     */
    protected abstract void write(ByteBuffer message) throws IOException;

    /**
     * Writes a message's bytes, from position to limit, to a stream, and leaves the message's position at its limit:
     * the body of a {@link #write(ByteBuffer)} over a byte stream, after the transport's own header.
     *
     * @param out the stream
     * @param message the message
     * @throws IOException if the stream fails
     */
    protected static void writeRemaining(OutputStream out, ByteBuffer message) throws IOException {
        int length = message.remaining();
        if (message.hasArray()) {
            out.write(message.array(), message.arrayOffset() + message.position(), length);
            message.position(message.limit());
        } else {
            byte[] copy = new byte[length];
            message.get(copy);
            out.write(copy);
        }
    }

    @Override
    public final int maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * Closes the channel; the handler gets {@link MessageHandler#onClose(Throwable)} with a null cause unless it had
     * its close already. Idempotent.
     */
    @Override
    public final void close() {
        ended(null);
    }

    /**
     * The channel's end, from whichever side comes first: releases the medium ({@link #closeMedium()}) once and
     * reports the close to the handler once. Call it when the medium ends by itself.
     *
     * @param cause null for an orderly end; otherwise what broke the channel
     */
    protected final void ended(Throwable cause) {
        if (end.compareAndSet(null, cause == null ? ORDERLY : cause)) {
            closeMedium();
        }
        if (delivering) {
            reportClose(end.get());
        }
    }

    /**
     * Releases the medium (streams, sockets, rings, threads blocked in a read); the peer then sees the end. Called
     * once, by whichever of {@link #close()} and {@link #ended(Throwable)} comes first; must not throw.
     */
    protected abstract void closeMedium();

    /** @return true once the channel is closed, locally or by the medium's end */
    protected final boolean isClosed() {
        return end.get() != null;
    }

    /** @return who is at the other end, as given to the constructor */
    protected final String peer() {
        return peer;
    }

    private void reportClose(Object ended) {
        if (closeReported.compareAndSet(false, true)) {
            handler.onClose(ended == ORDERLY ? null : (Throwable) ended);
        }
    }
}
