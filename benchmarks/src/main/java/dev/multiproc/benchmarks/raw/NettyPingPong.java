package dev.multiproc.benchmarks.raw;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.FixedLengthFrameDecoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ping-pong over loopback TCP with Netty on both sides (epoll where available, NIO otherwise), the medium of the
 * socket transport. The same 16-byte frames as {@link StreamPingPong}; the JVM that measures drives the whole
 * exchange from its event loop (the next ping leaves from the handler that received the pong), so no thread
 * hand-off is counted.
 */
final class NettyPingPong {
    private static final int FRAME = 16;

    private NettyPingPong() {
    }

    static Report run(boolean quick) throws Exception {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        Driver driver = new Driver(quick);
        Process child = null;
        try {
            Channel server = new ServerBootstrap().group(group).channel(channelType)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(new FixedLengthFrameDecoder(FRAME), driver);
                        }
                    })
                    .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            child = PeerJvm.start("netty", Integer.toString(port));
            Report report = driver.result.get(5, TimeUnit.MINUTES);
            server.close().sync();
            return report.put("event_loop", epoll ? "epoll" : "nio");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            if (child != null) {
                PeerJvm.reap(child);
            }
        }
    }

    static void child(int port) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        try {
            Channel channel = new Bootstrap().group(group)
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(new FixedLengthFrameDecoder(FRAME), new Echo());
                        }
                    })
                    .connect(InetAddress.getLoopbackAddress(), port).sync().channel();
            channel.closeFuture().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** The child's side: echoes pings, counts stream frames, acknowledges, exits on {@code Q}. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            switch (frame.getByte(0)) {
                case 'P', 'E' -> ctx.writeAndFlush(frame, ctx.voidPromise());
                case 'Q' -> {
                    frame.release();
                    ctx.close();
                }
                default -> frame.release();
            }
        }
    }

    /** The measuring side, driven by the pongs it receives. */
    @io.netty.channel.ChannelHandler.Sharable
    private static final class Driver extends ChannelInboundHandlerAdapter {
        final CompletableFuture<Report> result = new CompletableFuture<>();
        private final int warmupRoundTrips;
        private final long[] samples;
        private final int messages;
        private final ByteBuf ping = frame('P');
        private final ByteBuf streamFrame = frame('S');
        private final ByteBuf end = frame('E');
        private int phase;
        private int count;
        private long sentAt;
        private double messagesPerSecond;

        Driver(boolean quick) {
            warmupRoundTrips = quick ? 2_500 : 10_000;
            samples = new long[quick ? 5_000 : 20_000];
            messages = quick ? 50_000 : 200_000;
        }

        private static ByteBuf frame(char type) {
            ByteBuf frame = Unpooled.directBuffer(FRAME);
            frame.writeByte(type).writeZero(FRAME - 1);
            return frame;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ping(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            long now = System.nanoTime();
            ((ByteBuf) msg).release();
            switch (phase) {
                case 0 -> { // warm-up round trips
                    if (++count == warmupRoundTrips) {
                        phase = 1;
                        count = 0;
                    }
                    ping(ctx);
                }
                case 1 -> { // measured round trips
                    samples[count++] = now - sentAt;
                    if (count == samples.length) {
                        phase = 2;
                        stream(ctx, messages / 4);
                    } else {
                        ping(ctx);
                    }
                }
                case 2 -> { // warm-up stream acknowledged
                    phase = 3;
                    stream(ctx, messages);
                }
                default -> { // measured stream acknowledged
                    messagesPerSecond = messages / ((now - sentAt) / 1e9);
                    ctx.writeAndFlush(frame('Q'));
                    result.complete(new Report("netty").put("rtt_us", Report.median(samples) / 1_000.0)
                            .put("small_msgs_per_s", messagesPerSecond));
                }
            }
        }

        private void ping(ChannelHandlerContext ctx) {
            sentAt = System.nanoTime();
            ctx.writeAndFlush(ping.retainedDuplicate(), ctx.voidPromise());
        }

        private void stream(ChannelHandlerContext ctx, int count) {
            sentAt = System.nanoTime();
            for (int i = 0; i < count; i++) {
                ctx.writeAndFlush(streamFrame.retainedDuplicate(), ctx.voidPromise());
            }
            ctx.writeAndFlush(end.retainedDuplicate(), ctx.voidPromise());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.completeExceptionally(cause);
            ctx.close();
        }
    }
}
