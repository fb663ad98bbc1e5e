package dev.multiproc.transport.socket;

import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.spi.ChildEndpoint;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.ParentTransport;
import dev.multiproc.spi.Transport;
import dev.multiproc.spi.TransportConfig;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The socket transport on a bind address and authkey file chosen by a test, without touching system properties
 * that other tests in this JVM would see. Its children connect with the ordinary {@link SocketTransport}.
 */
final class SocketTestTransport implements Transport {
    private final String bindAddress;
    private final Path authkeyFile;
    private final SslContext tls;
    private final Path tlsCert;
    private volatile SocketParentTransport parent;

    private SocketTestTransport(String bindAddress, Path authkeyFile, SslContext tls, Path tlsCert) {
        this.bindAddress = bindAddress;
        this.authkeyFile = authkeyFile;
        this.tls = tls;
        this.tlsCert = tlsCert;
    }

    /** A context whose parent listens on {@code bindAddress} with the key in {@code authkeyFile} (or a random one). */
    static Opened open(String bindAddress, Path authkeyFile) {
        return open(bindAddress, authkeyFile, null, null);
    }

    /** As {@link #open(String, Path)}, requiring TLS of remote workers if {@code tls} is not null. */
    static Opened open(String bindAddress, Path authkeyFile, SslContext tls, Path tlsCert) {
        SocketTestTransport transport = new SocketTestTransport(bindAddress, authkeyFile, tls, tlsCert);
        Context context = Multiproc.contextBuilder().transport(transport).build();
        return new Opened(context, transport.parent);
    }

    /** An open context and its parent transport. */
    record Opened(Context context, SocketParentTransport parent) {
    }

    @Override
    public String name() {
        return "socket";
    }

    @Override
    public ParentTransport open(TransportConfig config) throws IOException {
        parent = SocketParentTransport.open(config, bindAddress, 0, authkeyFile, tls, tlsCert);
        return parent;
    }

    @Override
    public MessageChannel connect(ChildEndpoint endpoint) throws IOException {
        return SocketChildChannel.connect(endpoint);
    }
}
