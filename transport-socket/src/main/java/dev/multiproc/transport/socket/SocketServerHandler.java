package dev.multiproc.transport.socket;

import dev.multiproc.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;

/**
 * One incoming connection: runs the parent's half of {@link SocketHandshake}, then hands frames to the child's
 * {@link NettyMessageChannel}. A peer that sends garbage, the wrong proof, an unknown child id, or nothing at all
 * within the handshake timeout is disconnected and logged once; nothing it sent is ever parsed as a message.
 */
final class SocketServerHandler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger("dev.multiproc.transport.socket");

    /**
     * How long a claim of a pipe end that another connection holds waits for that connection to end before it is
     * refused: a process killed while holding the end is gone before its connection's close reaches this parent.
     */
    private static final long HOLDER_GRACE_MILLIS = 2000;

    private enum State { AWAIT_HELLO, AWAIT_PROOF, OPEN, CLOSED }

    private final SocketParentTransport transport;
    private final SocketFrameDecoder decoder;
    private State state = State.AWAIT_HELLO;
    private String childId;
    private byte[] nonceC;
    private byte[] nonceS;
    private NettyMessageChannel channel;
    private boolean remote;
    /** Set when this connection is a pipe end's: its pipe and side. */
    private String pipeId;
    private int pipeSide;
    /** What broke an authenticated connection, if anything did. */
    private Throwable brokenBy;
    /** A remote worker's address, {@code HOST:PORT}. */
    private String remoteAddress;
    private ScheduledFuture<?> timeout;

    SocketServerHandler(SocketParentTransport transport, SocketFrameDecoder decoder) {
        this.transport = transport;
        this.decoder = decoder;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> refuse(ctx, "did not authenticate within "
                + transport.handshakeTimeoutMillis() + " ms"), transport.handshakeTimeoutMillis(),
                TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        if (state == State.OPEN) {
            if (pipeId != null) {
                transport.pipes().fromEnd(pipeId, pipeSide, frame);
            } else {
                channel.onFrame(frame);
            }
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
        if (SocketHandshake.isRemote(childId) && transport.tlsRequired()
                && ctx.pipeline().get(SslHandler.class) == null) {
            refuse(ctx, "is remote worker '" + childId + "' without TLS, which this parent requires of remote workers"
                    + " (start it with --tls-trust CERT)");
            return;
        }
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
        if (SocketHandshake.isPipe(childId)) {
            attachPipe(ctx, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HOLDER_GRACE_MILLIS));
            return;
        }
        NettyMessageChannel accepted = new NettyMessageChannel(ctx.channel(), transport.maxMessageSize());
        if (SocketHandshake.isRemote(childId)) {
            if (!transport.reserveRemote(childId)) {
                refuse(ctx, "authenticated as remote worker '" + childId + "', which is already connected");
                return;
            }
            remote = true;
            keepAlive(ctx.channel());
            byte[] context = transport.contextId().getBytes(StandardCharsets.UTF_8);
            ByteBuf welcome = Unpooled.buffer(8 + context.length);
            welcome.writeInt(4 + context.length).writeInt(transport.maxMessageSize()).writeBytes(context);
            ctx.writeAndFlush(welcome);
        } else if (!transport.accept(childId, accepted)) {
            refuse(ctx, "authenticated as child '" + childId + "', which is not expected or already connected");
            return;
        }
        timeout.cancel(false);
        decoder.authenticated();
        channel = accepted;
        state = State.OPEN;
        if (remote) {
            SocketAddress peer = ctx.channel().remoteAddress();
            remoteAddress = peer instanceof InetSocketAddress address
                    ? address.getAddress().getHostAddress() + ":" + address.getPort() : String.valueOf(peer);
            LOG.log(Level.DEBUG, "remote worker '" + childId + "' joined from " + remoteAddress);
            transport.remoteJoined(childId, "worker '" + SocketHandshake.remoteName(childId) + "' at "
                    + remoteAddress, accepted);
        }
    }

    /**
     * An authenticated pipe end: from now on its frames go through the context's {@link SocketPipeRelay}. An end
     * that another connection holds is tried again until {@code deadline}: the holder may be a process that has just
     * died, whose connection this parent has not seen close yet.
     */
    private void attachPipe(ChannelHandlerContext ctx, long deadline) {
        String rest = childId.substring(SocketHandshake.PIPE_PREFIX.length());
        int slash = rest.lastIndexOf('/');
        String side = slash < 0 ? "" : rest.substring(slash + 1);
        if (slash <= 0 || !(side.equals("0") || side.equals("1"))) {
            refuse(ctx, "authenticated with a malformed pipe-end id '" + childId + "'");
            return;
        }
        int status = transport.pipes().attach(rest.substring(0, slash), side.charAt(0) - '0', ctx.channel());
        if (status == SocketPipeRelay.END_IN_USE && System.nanoTime() - deadline < 0) {
            ctx.executor().schedule(() -> {
                if (ctx.channel().isActive()) {
                    attachPipe(ctx, deadline);
                }
            }, 20, TimeUnit.MILLISECONDS);
            return;
        }
        if (status != SocketPipeRelay.ATTACHED) {
            // the end's process learns why from the status and throws; a closed or busy end is the user's
            // mistake, not an intrusion, so it is not logged here
            ctx.writeAndFlush(Unpooled.buffer(8).writeInt(4).writeInt(status));
            if (status == SocketPipeRelay.NO_SUCH_PIPE) {
                refuse(ctx, "authenticated as '" + childId + "', which " + SocketPipeRelay.refusal(status));
            } else {
                timeout.cancel(false);
                state = State.CLOSED;
                ctx.close();
            }
            return;
        }
        timeout.cancel(false);
        decoder.authenticated();
        pipeId = rest.substring(0, slash);
        pipeSide = side.charAt(0) - '0';
        state = State.OPEN;
    }

    /**
     * A remote worker's connection crosses a network: probe it when idle, so that a worker host that vanished
     * without closing the connection (a partition, a power cut) fails its chunk within about 35 s, not hours.
     */
    private static void keepAlive(Channel channel) {
        ChannelConfig config = channel.config();
        config.setOption(ChannelOption.SO_KEEPALIVE, true);
        if (channel instanceof EpollSocketChannel) {
            config.setOption(EpollChannelOption.TCP_KEEPIDLE, 15);
            config.setOption(EpollChannelOption.TCP_KEEPINTVL, 5);
            config.setOption(EpollChannelOption.TCP_KEEPCNT, 4);
        } else {
            config.setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), 15);
            config.setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), 5);
            config.setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), 4);
        }
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
        if (pipeId != null) {
            transport.pipes().writable(pipeId, pipeSide);
        }
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
        if (pipeId != null) {
            transport.pipes().detached(pipeId, pipeSide, ctx.channel());
        }
        if (channel != null) {
            channel.closed(null);
            // A pool's worker's broken channel is logged by the pool's side; one that no pool took yet, only here.
            if (remote && transport.remoteLeft(childId, channel) && brokenBy instanceof ProtocolException) {
                LOG.log(Level.WARNING, "disconnected remote worker '" + childId + "' at " + remoteAddress
                        + " before any pool took it: " + brokenBy);
            }
        }
        state = State.CLOSED;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause.getCause() instanceof ProtocolException ? cause.getCause() : cause;
        if (pipeId != null) {
            LOG.log(Level.WARNING, "closed the connection of pipe end '" + childId + "': " + root);
            ctx.close();
        } else if (channel != null) {
            brokenBy = root;
            channel.closed(root);
            ctx.close();
        } else {
            refuse(ctx, "broke the handshake: " + root.getMessage());
        }
    }
}
