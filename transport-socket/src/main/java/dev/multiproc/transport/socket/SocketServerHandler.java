package dev.multiproc.transport.socket;

import dev.multiproc.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One incoming connection: runs the parent's half of {@link SocketHandshake}, then hands frames to the child's
 * {@link NettyMessageChannel}. A peer that sends garbage, the wrong proof, an unknown child id, or nothing at all
 * within the handshake timeout is disconnected and logged once; nothing it sent is ever parsed as a message.
 */
final class SocketServerHandler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger("dev.multiproc.transport.socket");
    /** How long a connection may take to authenticate; {@code -Dmultiproc.socket.handshakeTimeoutMillis}. */
    static final long HANDSHAKE_TIMEOUT_MILLIS = Long.getLong("multiproc.socket.handshakeTimeoutMillis", 10_000);

    private enum State { AWAIT_HELLO, AWAIT_PROOF, OPEN, CLOSED }

    private final SocketParentTransport transport;
    private final SocketFrameDecoder decoder;
    private State state = State.AWAIT_HELLO;
    private String childId;
    private byte[] nonceC;
    private byte[] nonceS;
    private NettyMessageChannel channel;
    private ScheduledFuture<?> timeout;

    SocketServerHandler(SocketParentTransport transport, SocketFrameDecoder decoder) {
        this.transport = transport;
        this.decoder = decoder;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> refuse(ctx, "did not authenticate within "
                + HANDSHAKE_TIMEOUT_MILLIS + " ms"), HANDSHAKE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        if (state == State.OPEN) {
            channel.deliver(frame);
            return;
        }
        try {
            if (state == State.AWAIT_HELLO) {
                hello(ctx, frame);
            } else if (state == State.AWAIT_PROOF) {
                proof(ctx, frame);
            }
        } finally {
            frame.release();
        }
    }

    private void hello(ChannelHandlerContext ctx, ByteBuf frame) {
        int idLength = frame.readableBytes() - SocketHandshake.MAGIC.length - SocketHandshake.NONCE_LENGTH;
        byte[] magic = new byte[SocketHandshake.MAGIC.length];
        if (idLength <= 0 || idLength > SocketHandshake.MAX_CHILD_ID_LENGTH) {
            refuse(ctx, "sent a malformed greeting (" + frame.readableBytes() + " bytes)");
            return;
        }
        frame.readBytes(magic);
        if (!Arrays.equals(magic, SocketHandshake.MAGIC)) {
            refuse(ctx, "does not speak the multiproc socket protocol");
            return;
        }
        nonceC = new byte[SocketHandshake.NONCE_LENGTH];
        frame.readBytes(nonceC);
        childId = frame.readCharSequence(idLength, StandardCharsets.UTF_8).toString();
        nonceS = SocketHandshake.random(SocketHandshake.NONCE_LENGTH);
        byte[] parentProof = SocketHandshake.proof(transport.key(), "parent", nonceC, nonceS, childId);
        ByteBuf challenge = Unpooled.buffer(4 + nonceS.length + parentProof.length);
        challenge.writeInt(nonceS.length + parentProof.length).writeBytes(nonceS).writeBytes(parentProof);
        ctx.writeAndFlush(challenge);
        state = State.AWAIT_PROOF;
    }

    private void proof(ChannelHandlerContext ctx, ByteBuf frame) {
        byte[] proof = new byte[frame.readableBytes()];
        frame.readBytes(proof);
        if (!SocketHandshake.matches(SocketHandshake.proof(transport.key(), "child", nonceS, nonceC, childId),
                proof)) {
            refuse(ctx, "failed authentication (wrong key) for child id '" + childId + "'");
            return;
        }
        NettyMessageChannel accepted = new NettyMessageChannel(ctx.channel(), transport.maxMessageSize());
        if (!transport.accept(childId, accepted)) {
            refuse(ctx, "authenticated as child '" + childId + "', which is not expected or already connected");
            return;
        }
        timeout.cancel(false);
        decoder.authenticated();
        channel = accepted;
        state = State.OPEN;
    }

    private void refuse(ChannelHandlerContext ctx, String why) {
        if (state == State.OPEN || state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        java.net.SocketAddress peer = ctx.channel().remoteAddress();
        LOG.log(transport.firstRefusal(peer) ? Level.WARNING : Level.DEBUG, "refused a connection from " + peer
                + ": it " + why + " (further refusals of this address are logged at DEBUG)");
        ctx.close();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel != null) {
            channel.writabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (channel != null) {
            channel.closed(null);
        }
        state = State.CLOSED;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause.getCause() instanceof ProtocolException ? cause.getCause() : cause;
        if (channel != null) {
            channel.closed(root);
            ctx.close();
        } else {
            refuse(ctx, "broke the handshake: " + root.getMessage());
        }
    }
}
