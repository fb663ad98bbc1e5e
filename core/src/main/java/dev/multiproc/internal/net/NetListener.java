package dev.multiproc.internal.net;

import dev.multiproc.AuthenticationException;
import dev.multiproc.ChannelClosedException;
import dev.multiproc.Connection;
import dev.multiproc.Listener;
import dev.multiproc.internal.Timers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link Listener}: an accepting thread that hands each new socket to a handshake thread of its own (at most
 * {@value #MAX_HANDSHAKES} at once; beyond that, new sockets are closed at once), bounded by the handshake timeout
 * (a timer closes a socket that has not finished). Authenticated connections, and the refusals of clients with
 * another key, queue for {@link #accept()}; at most the backlog of them wait there, and beyond that refusals are
 * dropped (logged) and new connections wait in their handshake thread.
 */
public final class NetListener implements Listener {
    static final int DEFAULT_BACKLOG = 50;
    static final int DEFAULT_MAX_MESSAGE_SIZE = 256 << 20;
    static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_HANDSHAKES = 64;
    private static final System.Logger LOG = System.getLogger("dev.multiproc.connection");

    private final ServerSocketChannel server;
    private final SocketAddress address;
    private final byte[] key;
    private final int maxMessageSize;
    private final long handshakeNanos;
    /** {@link NetConnection}s and {@link AuthenticationException}s, in the order their handshakes ended. */
    private final LinkedBlockingQueue<Object> ready;
    private final ExecutorService handshakes;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean closed;

    private NetListener(ServerSocketChannel server, SocketAddress address, byte[] key, int backlog,
            int maxMessageSize, Duration handshakeTimeout) {
        this.server = server;
        this.address = address;
        this.key = key;
        this.maxMessageSize = maxMessageSize;
        this.handshakeNanos = handshakeTimeout.toNanos();
        this.ready = new LinkedBlockingQueue<>(backlog);
        AtomicInteger number = new AtomicInteger();
        this.handshakes = new ThreadPoolExecutor(0, MAX_HANDSHAKES, 10, TimeUnit.SECONDS, new SynchronousQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "multiproc-listener-handshake-" + number.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        Thread acceptor = new Thread(this::acceptLoop, "multiproc-listener " + address);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static void checkKey(byte[] key) {
        Objects.requireNonNull(key, "authKey");
        if (key.length == 0) {
            throw new IllegalArgumentException("the authentication key must not be empty (use, say, 32 random bytes"
                    + " that both programs know)");
        }
    }

    static Listener open(SocketAddress address, byte[] key, int backlog, int maxMessageSize, Duration timeout)
            throws IOException {
        checkKey(key);
        ServerSocketChannel server;
        if (address instanceof UnixDomainSocketAddress) {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        } else if (address instanceof InetSocketAddress) {
            server = ServerSocketChannel.open();
        } else {
            throw new IllegalArgumentException("a listener's address is an InetSocketAddress (TCP) or a"
                    + " UnixDomainSocketAddress, not " + address);
        }
        try {
            server.bind(address, backlog);
            return new NetListener(server, server.getLocalAddress(), key.clone(), backlog, maxMessageSize, timeout);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel socket;
            try {
                socket = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "listener " + address + " failed to accept a connection", e);
                continue;
            }
            if (pending.incrementAndGet() > MAX_HANDSHAKES) {
                pending.decrementAndGet();
                LOG.log(System.Logger.Level.DEBUG, "listener " + address + ": too many handshakes under way;"
                        + " dropped a new connection");
                closeQuietly(socket);
                continue;
            }
            handshakes.execute(() -> {
                try {
                    handshake(socket);
                } finally {
                    pending.decrementAndGet();
                }
            });
        }
    }

    private void handshake(SocketChannel socket) {
        String peer = "client " + describePeer(socket);
        ScheduledFuture<?> timer = Timers.afterNanos(handshakeNanos, () -> closeQuietly(socket));
        Object outcome;
        try {
            int peerMax = NetHandshake.asListener(socket, key, maxMessageSize, peer);
            outcome = new NetConnection<>(new NetChannel(socket, peer, maxMessageSize), "from " + peer
                    .substring("client ".length()) + " (listener " + address + ")", peerMax);
        } catch (AuthenticationException e) {
            closeQuietly(socket);
            outcome = e;
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            LOG.log(System.Logger.Level.DEBUG, "listener " + address + " dropped " + peer + ": "
                    + (timer.isDone() ? "it did not authenticate within " + handshakeNanos / 1_000_000 + " ms" : e));
            return;
        } finally {
            timer.cancel(false);
        }
        if (outcome instanceof NetConnection<?> && !socket.isOpen()) {
            LOG.log(System.Logger.Level.DEBUG, "listener " + address + " dropped " + peer
                    + ": it did not authenticate in time");
            return;
        }
        try {
            while (!closed && !ready.offer(outcome, 100, TimeUnit.MILLISECONDS)) {
                if (outcome instanceof AuthenticationException refused) {
                    LOG.log(System.Logger.Level.WARNING, "listener " + address + ": nobody accepts; "
                            + refused.getMessage());
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closed && outcome instanceof NetConnection<?> connection) {
            ready.remove(connection);
            connection.close();
        }
    }

    private static String describePeer(SocketChannel socket) {
        try {
            SocketAddress remote = socket.getRemoteAddress();
            if (remote instanceof InetSocketAddress inet) {
                return inet.getAddress().getHostAddress() + ":" + inet.getPort();
            }
            return "on " + socket.getLocalAddress(); // a Unix socket's client has no name of its own
        } catch (IOException e) {
            return "(gone)";
        }
    }

    static void closeQuietly(SocketChannel socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public <T> Connection<T> accept() throws InterruptedException {
        while (true) {
            try {
                return accept(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // forever has not passed
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Connection<T> accept(long timeout, TimeUnit unit) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + Math.max(0, unit.toNanos(timeout));
        boolean forever = unit.toNanos(timeout) >= Long.MAX_VALUE / 2;
        while (true) {
            if (closed) {
                throw new ChannelClosedException("listener " + address + " is closed");
            }
            // short slices, so that a close from another thread ends a wait
            long left = forever ? TimeUnit.MILLISECONDS.toNanos(100) : Math.min(deadline - System.nanoTime(),
                    TimeUnit.MILLISECONDS.toNanos(100));
            Object next = ready.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (next instanceof AuthenticationException refused) {
                throw new AuthenticationException(refused.getMessage());
            }
            if (next != null) {
                NetConnection<T> connection = (NetConnection<T>) next;
                connection.start();
                return connection;
            }
            if (!forever && deadline - System.nanoTime() <= 0) {
                throw new TimeoutException("no client connected to listener " + address + " within " + timeout + " "
                        + unit.toString().toLowerCase(java.util.Locale.ROOT));
            }
        }
    }

    @Override
    public SocketAddress address() {
        return address;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        if (address instanceof UnixDomainSocketAddress unix) {
            try {
                Files.deleteIfExists(unix.getPath());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot delete the socket file " + unix.getPath(), e);
            }
        }
        handshakes.shutdownNow();
        for (Object left = ready.poll(); left != null; left = ready.poll()) {
            if (left instanceof NetConnection<?> connection) {
                connection.close();
            }
        }
    }

    @Override
    public String toString() {
        return "Listener[" + address + "]";
    }

    /** {@link Listener.Builder}. */
    public static final class Builder implements Listener.Builder {
        private final SocketAddress address;
        private final byte[] key;
        private int backlog = DEFAULT_BACKLOG;
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;

        /** @see dev.multiproc.Multiproc#listenerBuilder */
        public Builder(SocketAddress address, byte[] key) {
            this.address = Objects.requireNonNull(address, "address");
            checkKey(key);
            this.key = key.clone();
        }

        @Override
        public Builder backlog(int backlog) {
            if (backlog <= 0) {
                throw new IllegalArgumentException("backlog must be positive: " + backlog);
            }
            this.backlog = backlog;
            return this;
        }

        @Override
        public Builder maxMessageSize(int bytes) {
            if (bytes <= 0 || bytes == Integer.MAX_VALUE) {
                throw new IllegalArgumentException("maxMessageSize must be positive (and below 2^31 - 1): " + bytes);
            }
            this.maxMessageSize = bytes;
            return this;
        }

        @Override
        public Builder handshakeTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("handshakeTimeout must be positive: " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        @Override
        public Listener open() throws IOException {
            return NetListener.open(address, key, backlog, maxMessageSize, handshakeTimeout);
        }
    }
}
