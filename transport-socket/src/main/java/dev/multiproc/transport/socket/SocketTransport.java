package dev.multiproc.transport.socket;

import dev.multiproc.spi.ChildEndpoint;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.ParentTransport;
import dev.multiproc.spi.Transport;
import dev.multiproc.spi.TransportConfig;
import java.io.IOException;

/**
 * The {@code socket} transport. The parent listens on {@code 127.0.0.1} on an ephemeral port unless
 * {@code -Dmultiproc.socket.bind=ADDRESS} and {@code -Dmultiproc.socket.port=N} say otherwise.
 */
public final class SocketTransport implements Transport {
    /** System property: the address the parent listens on. */
    public static final String BIND_PROPERTY = "multiproc.socket.bind";
    /** System property: the port the parent listens on (0: any free port). */
    public static final String PORT_PROPERTY = "multiproc.socket.port";

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
        return SocketParentTransport.open(config, System.getProperty(BIND_PROPERTY, "127.0.0.1"),
                Integer.getInteger(PORT_PROPERTY, 0));
    }

    @Override
    public MessageChannel connect(ChildEndpoint endpoint) throws IOException {
        return SocketChildChannel.connect(endpoint);
    }
}
