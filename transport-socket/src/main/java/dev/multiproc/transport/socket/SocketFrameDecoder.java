package dev.multiproc.transport.socket;

import dev.multiproc.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the stream into {@code int32 length} + payload frames. Until the peer has authenticated, a frame may not
 * claim more than {@value SocketHandshake#MAX_HANDSHAKE_FRAME} bytes, so an unauthenticated peer can never make
 * the parent buffer a large frame; afterwards the context's maximum message size applies.
 */
final class SocketFrameDecoder extends ByteToMessageDecoder {
    private final int maxMessageSize;
    private volatile boolean authenticated;

    SocketFrameDecoder(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    void authenticated() {
        authenticated = true;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 4) {
            int length = in.getInt(in.readerIndex());
            int limit = authenticated ? maxMessageSize : SocketHandshake.MAX_HANDSHAKE_FRAME;
            if (length < 0 || length > limit) {
                in.skipBytes(in.readableBytes());
                throw new ProtocolException("frame claims " + (length & 0xffffffffL) + " bytes, more than the "
                        + (authenticated ? "maximum message size of " : "handshake limit of ") + limit);
            }
            if (in.readableBytes() < 4 + length) {
                return;
            }
            in.skipBytes(4);
            out.add(in.readRetainedSlice(length));
        }
    }
}
