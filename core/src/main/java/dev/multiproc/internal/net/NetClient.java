package dev.multiproc.internal.net;

import dev.multiproc.Connection;
import dev.multiproc.internal.Timers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** {@link dev.multiproc.Multiproc#connect}: the client's side of a connection to a {@link NetListener}. */
public final class NetClient {
    /** How long connecting and authenticating may take together. */
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private NetClient() {
    }

    /** @see dev.multiproc.Multiproc#connect(SocketAddress, byte[]) */
    public static <T> Connection<T> connect(SocketAddress address, byte[] key) throws IOException {
        Objects.requireNonNull(address, "address");
        NetListener.checkKey(key);
        SocketChannel socket;
        if (address instanceof UnixDomainSocketAddress) {
            socket = SocketChannel.open(StandardProtocolFamily.UNIX);
        } else if (address instanceof InetSocketAddress inet) {
            socket = SocketChannel.open();
            if (inet.isUnresolved()) {
                throw new IOException("cannot resolve the listener's host " + inet.getHostString());
            }
        } else {
            throw new IllegalArgumentException("a listener's address is an InetSocketAddress (TCP) or a"
                    + " UnixDomainSocketAddress, not " + address);
        }
        String peer = "the listener at " + address;
        ScheduledFuture<?> timer = Timers.afterNanos(TIMEOUT_NANOS, () -> NetListener.closeQuietly(socket));
        try {
            if (address instanceof InetSocketAddress) {
                socket.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            }
            socket.connect(address);
            int peerMax = NetHandshake.asClient(socket, key, NetListener.DEFAULT_MAX_MESSAGE_SIZE, peer);
            NetConnection<T> connection = new NetConnection<>(new NetChannel(socket, peer,
                    NetListener.DEFAULT_MAX_MESSAGE_SIZE), "to " + address, peerMax);
            connection.start();
            return connection;
        } catch (IOException | RuntimeException e) {
            NetListener.closeQuietly(socket);
            if (timer.isDone() && e instanceof IOException) {
                throw new SocketTimeoutException(peer + " did not complete the handshake within "
                        + TimeUnit.NANOSECONDS.toMillis(TIMEOUT_NANOS) + " ms");
            }
            throw e;
        } finally {
            timer.cancel(false);
        }
    }
}
