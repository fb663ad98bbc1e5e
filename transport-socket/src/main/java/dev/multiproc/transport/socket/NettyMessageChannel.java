package dev.multiproc.transport.socket;

import dev.multiproc.ProtocolException;
import dev.multiproc.spi.AbstractMessageChannel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The parent's channel to one authenticated child, over a Netty channel. Messages are delivered on the channel's
 * event loop; those that arrive before {@link #start} are kept by the superclass and delivered first, in order.
 *
 * <p>{@code send} never blocks an event-loop thread; from any other thread it waits while the socket's outbound
 * buffer is above Netty's high-water mark, so a fast sender cannot run the parent out of memory. It takes no lock:
 * Netty's {@code writeAndFlush} of one frame is whole and thread-safe, and an event loop must never wait for a
 * sender that waits for that event loop.
 */
final class NettyMessageChannel extends AbstractMessageChannel {
    private final Channel channel;
    private final Object writable = new Object();

    NettyMessageChannel(Channel channel, int maxMessageSize) {
        super("the child at " + channel.remoteAddress(), maxMessageSize);
        this.channel = channel;
    }

    @Override
    protected void startDelivery() {
        // frames are delivered from the event loop as they arrive (onFrame)
    }

    /** A frame arrived (on the event loop). */
    void onFrame(ByteBuf frame) {
        try {
            deliver(frame.nioBuffer());
        } finally {
            frame.release();
        }
    }

    /**
     * The connection ended (on the event loop). A broken stream is reported twice, by the failure (with its cause)
     * and then by the close (without one): the first is the one the handler gets.
     */
    void closed(Throwable cause) {
        ended(cause instanceof ProtocolException || cause == null ? cause
                : new ProtocolException("connection to the child failed: " + cause, cause));
        synchronized (writable) {
            writable.notifyAll();
        }
    }

    void writabilityChanged() {
        synchronized (writable) {
            writable.notifyAll();
        }
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        checkSendable(message);
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
        write(message);
    }

    @Override
    protected void write(ByteBuffer message) {
        ByteBuf frame = Unpooled.buffer(4 + message.remaining());
        frame.writeInt(message.remaining());
        frame.writeBytes(message);
        channel.writeAndFlush(frame);
    }

    @Override
    protected void closeMedium() {
        channel.close();
    }
}
