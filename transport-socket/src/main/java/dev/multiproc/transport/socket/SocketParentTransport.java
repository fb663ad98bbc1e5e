package dev.multiproc.transport.socket;

import dev.multiproc.spi.AuthkeyFile;
import dev.multiproc.spi.ChildAttachment;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.NativePrimitives;
import dev.multiproc.spi.ParentTransport;
import dev.multiproc.spi.RemoteWorkerLobby;
import dev.multiproc.spi.RemoteWorkers;
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
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parent side: one listening socket per context (on the JVM's shared event loops, {@link SharedLoops}), the key
 * (32 random bytes, or the authkey file's), the children expected to connect, and the remote workers that joined.
 * Closing it closes the listener and every connection it accepted.
 */
final class SocketParentTransport implements ParentTransport {
    private final Channel server;
    /** Every connection the listener accepted and that is still open, authenticated or not. */
    private final java.util.Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private final byte[] key;
    private final String contextId;
    private final int maxMessageSize;
    private final String descriptor;
    private final Path authkeyFile;
    private final boolean tls;
    private final long handshakeTimeoutMillis;
    private final RemoteWorkerLobby remoteWorkers;
    private final Map<String, CompletableFuture<MessageChannel>> expected = new ConcurrentHashMap<>();
    private final java.util.Set<InetAddress> refusedAddresses = ConcurrentHashMap.newKeySet();
    private final SocketPipeRelay pipes = new SocketPipeRelay();
    private final java.util.concurrent.atomic.AtomicInteger pipeNumbers = new java.util.concurrent.atomic.AtomicInteger();

    private SocketParentTransport(Channel server, byte[] key, TransportConfig config, InetSocketAddress bound,
            Path authkeyFile, Path tlsCertFile) {
        this.server = server;
        this.key = key;
        this.contextId = config.contextId();
        this.maxMessageSize = config.maxMessageSize();
        String host = bound.getAddress().isAnyLocalAddress() ? "127.0.0.1" : bound.getAddress().getHostAddress();
        this.descriptor = host + ":" + bound.getPort();
        this.authkeyFile = authkeyFile;
        this.tls = tlsCertFile != null;
        this.handshakeTimeoutMillis = config.get(SocketTransport.HANDSHAKE_TIMEOUT_MILLIS);
        this.remoteWorkers = new RemoteWorkerLobby(howToStart(bound, authkeyFile, tlsCertFile));
        SocketPipeEnd.registerParent(descriptor, new SocketPipeEnd.Parent(host, bound.getPort(), key));
    }

    /** @return how long a new connection may take to authenticate, in milliseconds */
    long handshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    SocketPipeRelay pipes() {
        return pipes;
    }

    /** Pipes are native: each end connects to this parent, which streams frames from one end to the other. */
    @Override
    public NativePrimitives primitives() {
        return new NativePrimitives() {
            @Override
            public Optional<PipeEnds> pipe(boolean duplex) {
                String pipeId = HexFormat.of().formatHex(SocketHandshake.random(12));
                int number = pipeNumbers.incrementAndGet();
                pipes.create(pipeId);
                // a one-way pipe sends from right to left, as Python's Pipe(duplex=False) returns (reader, writer)
                return Optional.of(new PipeEnds(
                        new SocketPipeEnd(descriptor, pipeId, 0, duplex, true, maxMessageSize, "left#" + number),
                        new SocketPipeEnd(descriptor, pipeId, 1, true, duplex, maxMessageSize, "right#" + number)));
            }
        };
    }

    /** The command a remote worker runs, with the address it can reach and a note when it is loopback only. */
    private static String howToStart(InetSocketAddress bound, Path authkeyFile, Path tlsCertFile) {
        InetAddress address = bound.getAddress();
        String host = address.isAnyLocalAddress() ? "<an address of this host>" : address.getHostAddress();
        if (host.indexOf(':') >= 0 && !address.isAnyLocalAddress()) {
            host = "[" + host + "]";
        }
        String command = "java -cp " + System.getProperty("java.class.path") + " " + RemoteWorker.class.getName()
                + " --connect " + host + ":" + bound.getPort() + " --authkey-file "
                + (authkeyFile == null ? "FILE" : authkeyFile.toAbsolutePath())
                + (tlsCertFile == null ? "" : " --tls-trust " + tlsCertFile.toAbsolutePath())
                + " (with a copy of this parent's authkey file, mode 600"
                + (tlsCertFile == null ? "" : ", and of its TLS certificate") + ")";
        if (address.isLoopbackAddress()) {
            command += "; this parent listens on " + address.getHostAddress() + " only, so only workers on this"
                    + " host can join: set -D" + SocketTransport.BIND_ADDRESS.name() + "=ADDRESS for other hosts";
        }
        return command;
    }

    /** Opens a parent with a random key, on which remote workers cannot join. */
    static SocketParentTransport open(TransportConfig config, String bindAddress, int port) throws IOException {
        return open(config, bindAddress, port, null, null, null);
    }

    /**
     * @param authkeyFile the authkey file to read (or create), or null for a random key that only spawned children
     *        learn
     * @param tlsContext TLS for connections that start with a TLS handshake, required of remote workers; or null
     * @param tlsCertFile the certificate file behind {@code tlsContext}, for the command in messages; or null
     */
    static SocketParentTransport open(TransportConfig config, String bindAddress, int port, Path authkeyFile,
            SslContext tlsContext, Path tlsCertFile) throws IOException {
        byte[] key = authkeyFile == null ? SocketHandshake.random(SocketHandshake.KEY_LENGTH)
                : AuthkeyFile.loadOrCreate(authkeyFile);
        EventLoopGroup group = SharedLoops.GROUP;
        Class<? extends ServerChannel> serverType = SharedLoops.SERVER_TYPE;
        // A connection may be accepted as soon as the port is bound, before the transport below exists: its channel
        // waits for it (the constructor only assigns fields, so the wait is microseconds).
        CompletableFuture<SocketParentTransport> self = new CompletableFuture<>();
        try {
            Channel server = new ServerBootstrap().group(group).channel(serverType)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            SocketFrameDecoder decoder = new SocketFrameDecoder(config.maxMessageSize());
                            if (tlsContext != null) {
                                // TLS if the peer starts with a TLS record (remote workers), plain otherwise
                                // (spawned children, on this machine).
                                channel.pipeline().addLast(new OptionalSslHandler(tlsContext));
                            }
                            SocketParentTransport transport = self.join();
                            transport.connections.add(channel);
                            channel.closeFuture().addListener(closed -> transport.connections.remove(channel));
                            channel.pipeline().addLast(decoder, new SocketServerHandler(transport, decoder));
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getByName(bindAddress), port)).sync().channel();
            SocketParentTransport transport = new SocketParentTransport(server, key, config,
                    (InetSocketAddress) server.localAddress(), authkeyFile, tlsContext == null ? null : tlsCertFile);
            self.complete(transport);
            return transport;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            self.completeExceptionally(e);
            throw new IOException("interrupted while binding " + bindAddress + ":" + port, e);
        } catch (RuntimeException e) {
            self.completeExceptionally(e);
            throw new IOException("cannot listen on " + bindAddress + ":" + port + ": " + e.getMessage()
                    + " (set -D" + SocketTransport.BIND_ADDRESS.name() + " / -D" + SocketTransport.PORT.name() + ")", e);
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

    /** @return {@code HOST:PORT}, where this parent listens (127.0.0.1 when it listens on every address) */
    String address() {
        return descriptor;
    }

    /** @return true if remote workers must connect with TLS */
    boolean tlsRequired() {
        return tls;
    }

    String contextId() {
        return contextId;
    }

    /** @return false if a remote worker of this id is already connected */
    boolean reserveRemote(String childId) {
        return remoteWorkers.reserve(childId);
    }

    /** A remote worker authenticated and was told the context: it now waits for a pool. */
    void remoteJoined(String childId, String description, NettyMessageChannel channel) {
        remoteWorkers.joined(new RemoteWorkers.Joined(childId, description, channel));
    }

    /** A remote worker's connection closed; true if no pool had taken it (nobody else reports its end). */
    boolean remoteLeft(String childId, NettyMessageChannel channel) {
        return remoteWorkers.left(childId, channel);
    }

    @Override
    public Optional<RemoteWorkers> remoteWorkers() {
        if (authkeyFile == null) {
            throw new IllegalStateException("remote workers need a key they can share with this parent: set"
                    + " -D" + SocketTransport.AUTHKEY_FILE.name() + "=FILE (a file readable by its owner only; the"
                    + " parent creates it with a random key if it does not exist) and give each remote worker a copy"
                    + " with --authkey-file");
        }
        return Optional.of(remoteWorkers);
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
        public byte[] secret() {
            return key.clone(); // core hands it to the child privately, never on its command line
        }

        @Override
        public CompletableFuture<MessageChannel> attach(Process process) {
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
        pipes.close();
        SocketPipeEnd.forgetParent(descriptor);
        remoteWorkers.close();
        server.close();
        for (CompletableFuture<MessageChannel> waiting : expected.values()) {
            waiting.cancel(false);
        }
        expected.clear();
        for (Channel connection : connections) {
            connection.close();
        }
        // the event loops are the JVM's (SharedLoops) and stay; what this context opened on them is closed
        server.closeFuture().syncUninterruptibly();
    }

    /** The name prefix of the event loop threads every socket context of the JVM shares. */
    static final String SHARED_THREADS = "multiproc-socket-io";

    /**
     * One event loop group for every socket context of the JVM, of daemon threads, made with the first context and
     * never shut down. A group per context cost each context's close a graceful shutdown, whose completion Netty
     * reports on its global executor: a non-daemon thread that then holds the JVM's exit for a second after the
     * program's {@code main} returned. Netty's own advice is one group per application.
     */
    private static final class SharedLoops {
        static final boolean EPOLL = nativeAccessAllowed() && Epoll.isAvailable();
        static final EventLoopGroup GROUP = EPOLL
                ? new EpollEventLoopGroup(0, new DefaultThreadFactory(SHARED_THREADS, true))
                : new NioEventLoopGroup(0, new DefaultThreadFactory(SHARED_THREADS, true));
        static final Class<? extends ServerChannel> SERVER_TYPE = EPOLL ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;

        private SharedLoops() {
        }
    }
}
