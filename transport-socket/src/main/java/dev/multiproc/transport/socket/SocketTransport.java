package dev.multiproc.transport.socket;

import dev.multiproc.spi.ChildEndpoint;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.ParentTransport;
import dev.multiproc.spi.Transport;
import dev.multiproc.spi.TransportConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The {@code socket} transport. The parent listens on {@code 127.0.0.1} on an ephemeral port unless
 * {@code -Dmultiproc.socket.bind=ADDRESS} and {@code -Dmultiproc.socket.port=N} say otherwise. With
 * {@code -Dmultiproc.socket.authkeyFile=FILE}, pools can also take {@linkplain RemoteWorker remote workers}.
 */
public final class SocketTransport implements Transport {
    /** System property: the address the parent listens on. */
    public static final String BIND_PROPERTY = "multiproc.socket.bind";
    /** System property: the port the parent listens on (0: any free port). */
    public static final String PORT_PROPERTY = "multiproc.socket.port";

    /**
     * System property: the authkey file shared with {@linkplain RemoteWorker remote workers}. The parent uses the
     * key in it instead of a random one, creating the file (mode 600, 32 random bytes in hex) if it does not exist;
     * it refuses a file that group or others may read. Without it, remote workers cannot join.
     */
    public static final String AUTHKEY_FILE_PROPERTY = "multiproc.socket.authkeyFile";

    /**
     * System property: the parent's TLS certificate chain (PEM). With {@link #TLS_KEY_PROPERTY}, remote workers
     * must connect with TLS ({@code RemoteWorker --tls-trust}); spawned children, on this machine, stay on plain TCP.
     */
    public static final String TLS_CERT_PROPERTY = "multiproc.socket.tls.certFile";
    /** System property: the private key of {@link #TLS_CERT_PROPERTY} (PEM PKCS#8 without password, mode 600). */
    public static final String TLS_KEY_PROPERTY = "multiproc.socket.tls.keyFile";

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
        String authkeyFile = System.getProperty(AUTHKEY_FILE_PROPERTY, "");
        String cert = System.getProperty(TLS_CERT_PROPERTY, "");
        String key = System.getProperty(TLS_KEY_PROPERTY, "");
        if (cert.isBlank() != key.isBlank()) {
            throw new IOException("TLS needs both -D" + TLS_CERT_PROPERTY + " and -D" + TLS_KEY_PROPERTY
                    + "; only one is set");
        }
        Path certFile = cert.isBlank() ? null : Path.of(cert);
        return SocketParentTransport.open(config, System.getProperty(BIND_PROPERTY, "127.0.0.1"),
                Integer.getInteger(PORT_PROPERTY, 0), authkeyFile.isBlank() ? null : Path.of(authkeyFile),
                certFile == null ? null : SocketTls.serverContext(certFile, Path.of(key)), certFile);
    }

    @Override
    public MessageChannel connect(ChildEndpoint endpoint) throws IOException {
        return SocketChildChannel.connect(endpoint);
    }
}
