package dev.multiproc.transport.socket;

import dev.multiproc.ContextOption;
import dev.multiproc.spi.ChildEndpoint;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.ParentTransport;
import dev.multiproc.spi.Transport;
import dev.multiproc.spi.TransportConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The {@code socket} transport. The parent listens on {@code 127.0.0.1} on an ephemeral port unless
 * {@link #BIND_ADDRESS} and {@link #PORT} say otherwise. With an {@link #AUTHKEY_FILE}, pools can also take
 * {@linkplain RemoteWorker remote workers}. Each setting is a {@link ContextOption}: set it per context
 * ({@code Context.Builder.option}) or by its system property.
 */
public final class SocketTransport implements Transport {
    /** The address the parent listens on; default {@code 127.0.0.1}. */
    public static final ContextOption<String> BIND_ADDRESS = ContextOption.ofString("multiproc.socket.bind",
            "127.0.0.1");
    /** The port the parent listens on; default 0, any free port. */
    public static final ContextOption<Integer> PORT = ContextOption.ofInt("multiproc.socket.port", 0, 0, 65535);

    /**
     * The authkey file shared with {@linkplain RemoteWorker remote workers}. The parent uses the key in it instead
     * of a random one, creating the file (mode 600, 32 random bytes in hex) if it does not exist; it refuses a file
     * that group or others may read. Without it, remote workers cannot join.
     */
    public static final ContextOption<Path> AUTHKEY_FILE = ContextOption.ofPath("multiproc.socket.authkeyFile");

    /**
     * The parent's TLS certificate chain (PEM). With {@link #TLS_KEY_FILE}, remote workers must connect with TLS
     * ({@code RemoteWorker --tls-trust}); spawned children, on this machine, stay on plain TCP.
     */
    public static final ContextOption<Path> TLS_CERT_FILE = ContextOption.ofPath("multiproc.socket.tls.certFile");
    /** The private key of {@link #TLS_CERT_FILE} (PEM PKCS#8 without password, mode 600). */
    public static final ContextOption<Path> TLS_KEY_FILE = ContextOption.ofPath("multiproc.socket.tls.keyFile");

    /**
     * How long the parent waits for a new connection to authenticate before it drops it, in milliseconds; default
     * 10000.
     */
    public static final ContextOption<Long> HANDSHAKE_TIMEOUT_MILLIS = ContextOption.ofLong(
            "multiproc.socket.handshakeTimeoutMillis", 10_000, 1, 3_600_000);

    /** Public for {@link java.util.ServiceLoader}. */
    public SocketTransport() {
    }

    @Override
    public String name() {
        return "socket";
    }

    @Override
    public int priority() {
        return 5;
    }

    @Override
    public ParentTransport open(TransportConfig config) throws IOException {
        Path cert = config.get(TLS_CERT_FILE);
        Path key = config.get(TLS_KEY_FILE);
        if ((cert == null) != (key == null)) {
            throw new IOException("TLS needs both " + TLS_CERT_FILE + " and " + TLS_KEY_FILE + "; only one is set");
        }
        return SocketParentTransport.open(config, config.get(BIND_ADDRESS), config.get(PORT),
                config.get(AUTHKEY_FILE), cert == null ? null : SocketTls.serverContext(cert, key), cert);
    }

    @Override
    public MessageChannel connect(ChildEndpoint endpoint) throws IOException {
        return SocketChildChannel.connect(endpoint);
    }
}
