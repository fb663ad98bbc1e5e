package dev.multiproc.internal.net;

import dev.multiproc.ProtocolException;
import dev.multiproc.spi.AbstractMessageChannel;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The message framing of an authenticated connection, on a blocking {@link SocketChannel} (TCP or Unix domain):
 * {@code uint32} big-endian length, then that many bytes, the first of which is the message's kind (see
 * {@link NetConnection}). A daemon reader thread delivers each frame in a buffer of its own, which the handler may
 * keep.
 */
final class NetChannel extends AbstractMessageChannel {
    private final SocketChannel socket;
    private final int maxMessageSize;

    /** @param maxMessageSize the largest message this side reads (a frame is one byte more: the kind) */
    NetChannel(SocketChannel socket, String peer, int maxMessageSize) {
        super(peer, maxMessageSize + 1);
        this.socket = socket;
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    protected void startDelivery() {
        startReaderThread("multiproc-connection-reader " + peer(), this::readLoop);
    }

    private void readLoop() throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4);
        while (true) {
            header.clear();
            if (socket.read(header) < 0) {
                return; // an orderly end, between two messages
            }
            NetHandshake.readFully(socket, header);
            int length = header.flip().getInt();
            if (length < 0 || length - 1 > maxMessageSize) {
                throw new ProtocolException("a message of " + ((length & 0xFFFFFFFFL) - 1) + " bytes from " + peer()
                        + " is over the maximum of " + maxMessageSize + " bytes; closing the connection");
            }
            if (length == 0) {
                throw new ProtocolException(peer() + " sent an empty frame: not the multiproc connection protocol");
            }
            ByteBuffer frame = ByteBuffer.allocate(length);
            try {
                NetHandshake.readFully(socket, frame);
            } catch (EOFException e) {
                throw new EOFException("the connection ended in the middle of a message of " + length + " bytes");
            }
            deliver(frame.flip());
        }
    }

    @Override
    protected void write(ByteBuffer message) throws IOException {
        ByteBuffer[] frame = {ByteBuffer.allocate(4).putInt(message.remaining()).flip(), message};
        while (message.hasRemaining()) {
            socket.write(frame);
        }
    }

    @Override
    protected void closeMedium() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
