package dev.multiproc.transport.socket;

import dev.multiproc.spi.ChildAttachment;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.ParentTransport;
import dev.multiproc.spi.TransportConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The parent side: one listening socket and one event-loop group (daemon threads) per context, a random 32-byte
 * key, and the children expected to connect. Closing it closes the listener, every connection and the group.
 */
final class SocketParentTransport implements ParentTransport {
    private final EventLoopGroup group;
    private final Channel server;
    private final byte[] key = SocketHandshake.random(SocketHandshake.KEY_LENGTH);
    private final int maxMessageSize;
    private final String descriptor;
    private final Map<String, CompletableFuture<MessageChannel>> expected = new ConcurrentHashMap<>();
    private final java.util.Set<InetAddress> refusedAddresses = ConcurrentHashMap.newKeySet();

    private SocketParentTransport(EventLoopGroup group, Channel server, int maxMessageSize, String descriptor) {
        this.group = group;
        this.server = server;
        this.maxMessageSize = maxMessageSize;
        this.descriptor = descriptor;
    }

    static SocketParentTransport open(TransportConfig config, String bindAddress, int port) throws IOException {
        boolean epoll = nativeAccessAllowed() && Epoll.isAvailable();
        DefaultThreadFactory threads = new DefaultThreadFactory("multiproc-socket-" + config.contextId(), true);
        EventLoopGroup group = epoll ? new EpollEventLoopGroup(0, threads) : new NioEventLoopGroup(0, threads);
        Class<? extends ServerChannel> serverType = epoll ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        SocketParentTransport[] self = new SocketParentTransport[1];
        try {
            Channel server = new ServerBootstrap().group(group).channel(serverType)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            SocketFrameDecoder decoder = new SocketFrameDecoder(config.maxMessageSize());
                            channel.pipeline().addLast(decoder, new SocketServerHandler(self[0], decoder));
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getByName(bindAddress), port)).sync().channel();
            InetSocketAddress bound = (InetSocketAddress) server.localAddress();
            String host = bound.getAddress().isAnyLocalAddress() ? "127.0.0.1" : bound.getAddress().getHostAddress();
            self[0] = new SocketParentTransport(group, server, config.maxMessageSize(), host + ":" + bound.getPort());
            return self[0];
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IOException("interrupted while binding " + bindAddress + ":" + port, e);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IOException("cannot listen on " + bindAddress + ":" + port + ": " + e.getMessage()
                    + " (set -D" + SocketTransport.BIND_PROPERTY + " / -D" + SocketTransport.PORT_PROPERTY + ")", e);
        }
    }

    /**
     * From JDK 22 on, loading epoll's native library without {@code --enable-native-access} prints a warning on
     * the user's stderr (and will be an error later). Use epoll only where native access is already granted, and
     * NIO otherwise; checked before {@link Epoll} is touched, since its initialisation loads the library.
     */
    static boolean nativeAccessAllowed() {
        if (Runtime.version().feature() < 22) {
            return true;
        }
        try {
            Object allowed = Module.class.getMethod("isNativeAccessEnabled")
                    .invoke(SocketParentTransport.class.getModule());
            return Boolean.TRUE.equals(allowed);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** @return true the first time a peer at this address is refused: a flood is logged once, not per attempt */
    boolean firstRefusal(java.net.SocketAddress peer) {
        return !(peer instanceof InetSocketAddress address) || refusedAddresses.add(address.getAddress());
    }

    byte[] key() {
        return key;
    }

    int maxMessageSize() {
        return maxMessageSize;
    }

    /** An authenticated child connected; true if it was expected and is now attached. */
    boolean accept(String childId, NettyMessageChannel channel) {
        CompletableFuture<MessageChannel> waiting = expected.remove(childId);
        return waiting != null && waiting.complete(channel);
    }

    @Override
    public Attachment prepare(String childId) {
        Attachment attachment = new Attachment(childId);
        expected.put(childId, attachment.connected);
        return attachment;
    }

    /** One expected child: its descriptor, and the channel once it has connected and authenticated. */
    final class Attachment implements ChildAttachment {
        private final String childId;
        private final CompletableFuture<MessageChannel> connected = new CompletableFuture<>();

        Attachment(String childId) {
            this.childId = childId;
        }

        CompletableFuture<MessageChannel> connected() {
            return connected;
        }

        @Override
        public String descriptor() {
            return descriptor;
        }

        @Override
        public CompletableFuture<MessageChannel> attach(Process process) throws IOException {
            // The key goes on the child's stdin (its lifeline, which stays open), never on its command line.
            OutputStream stdin = process.getOutputStream();
            stdin.write((HexFormat.of().formatHex(key) + "\n").getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            return connected;
        }

        @Override
        public void abort() {
            expected.remove(childId, connected);
            connected.cancel(false);
        }
    }

    @Override
    public void close() {
        server.close();
        for (CompletableFuture<MessageChannel> waiting : expected.values()) {
            waiting.cancel(false);
        }
        expected.clear();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
