package dev.multiproc.transport.socket;

import dev.multiproc.ProtocolException;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.MessageHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The parent's channel to one authenticated child, over a Netty channel. Messages are delivered on the channel's
 * event loop (one thread per channel at a time); messages that arrive before {@link #start} are kept and delivered
 * first, in order.
 *
 * <p>{@code send} never blocks an event-loop thread; from any other thread it waits while the socket's outbound
 * buffer is above Netty's high-water mark, so a fast sender cannot run the parent out of memory.
 */
final class NettyMessageChannel implements MessageChannel {
    private final Channel channel;
    private final int maxMessageSize;
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();
    private final AtomicBoolean closeReported = new AtomicBoolean();
    private final Object writable = new Object();
    private MessageHandler handler;
    private Throwable closedBy;
    private boolean closedEarly;

    NettyMessageChannel(Channel channel, int maxMessageSize) {
        this.channel = channel;
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    public void start(MessageHandler handler) {
        channel.eventLoop().execute(() -> {
            this.handler = handler;
            while (!early.isEmpty()) {
                ByteBuf frame = early.poll();
                try {
                    handler.onMessage(frame.nioBuffer());
                } finally {
                    frame.release();
                }
            }
            if (closedEarly) {
                reportClose(closedBy);
            }
        });
    }

    /** A frame arrived (on the event loop). */
    void deliver(ByteBuf frame) {
        if (handler == null) {
            early.add(frame);
            return;
        }
        try {
            handler.onMessage(frame.nioBuffer());
        } finally {
            frame.release();
        }
    }

    /** The connection ended (on the event loop); the first cause reported is the one the handler gets. */
    void closed(Throwable cause) {
        if (handler == null) {
            // A broken stream is reported twice: by the failure (with its cause), then by the close (without one).
            if (!closedEarly) {
                closedEarly = true;
                closedBy = cause;
            }
        } else {
            reportClose(cause);
        }
        synchronized (writable) {
            writable.notifyAll();
        }
    }

    /**
     * The channel will never be started (its remote worker left before any pool took it): frees the frames it kept
     * for its handler. On the event loop.
     */
    void discard() {
        ByteBuf frame;
        while ((frame = early.poll()) != null) {
            frame.release();
        }
    }

    void writabilityChanged() {
        synchronized (writable) {
            writable.notifyAll();
        }
    }

    private void reportClose(Throwable cause) {
        if (closeReported.compareAndSet(false, true)) {
            handler.onClose(cause instanceof ProtocolException || cause == null ? cause
                    : new ProtocolException("connection to the child failed: " + cause, cause));
        }
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        int length = message.remaining();
        MessageChannel.checkMessageSize(length, maxMessageSize);
        if (!channel.isActive()) {
            throw new IOException("connection to the child is closed");
        }
        if (!channel.eventLoop().inEventLoop()) {
            synchronized (writable) {
                while (!channel.isWritable() && channel.isActive()) {
                    try {
                        writable.wait(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while the connection was full", e);
                    }
                }
            }
        }
        ByteBuf frame = Unpooled.buffer(4 + length);
        frame.writeInt(length);
        frame.writeBytes(message);
        channel.writeAndFlush(frame);
    }

    @Override
    public int maxMessageSize() {
        return maxMessageSize;
    }

    @Override
    public void close() {
        channel.close();
    }
}
