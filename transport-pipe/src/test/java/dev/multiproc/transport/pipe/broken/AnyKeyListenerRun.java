package dev.multiproc.transport.pipe.broken;

import dev.multiproc.Connection;
import dev.multiproc.Listener;
import dev.multiproc.tck.ListenerContract;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;

/**
 * The ListenerContract against an authentication that lets any key in (the client is let in with the listener's key
 * whatever key it was given); run by {@link TckCatchesBrokenTransportsTest} only.
 */
public class AnyKeyListenerRun extends ListenerContract {
    private volatile byte[] listenerKey;

    @Override
    protected String transportName() {
        return "pipe";
    }

    @Override
    protected Listener listen(SocketAddress address, byte[] key, Duration handshakeTimeout, int maxMessageSize)
            throws IOException {
        listenerKey = key;
        return super.listen(address, key, handshakeTimeout, maxMessageSize);
    }

    @Override
    protected <T> Connection<T> connect(SocketAddress address, byte[] key) throws IOException {
        return super.connect(address, listenerKey);
    }
}
