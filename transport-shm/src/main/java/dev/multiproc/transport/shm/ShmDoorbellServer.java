package dev.multiproc.transport.shm;

import dev.multiproc.spi.RandomBytes;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The parent's Unix-domain socket that children connect their {@link ShmDoorbell}s to. A child presents the 16-byte
 * token from its channel segment (which only the owner's user can read), and its connection becomes that channel's
 * doorbell. The socket file is mode 0600 and named like the segments, so a sweep removes it after a crash.
 */
final class ShmDoorbellServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.multiproc.shm");

    private final Path path;
    private final ServerSocketChannel server;
    private final Map<String, Consumer<ShmDoorbell>> expected = new ConcurrentHashMap<>();

    private ShmDoorbellServer(Path path, ServerSocketChannel server) {
        this.path = path;
        this.server = server;
        Thread acceptor = new Thread(this::acceptLoop, "multiproc-shm-doorbells");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * @return the server, or null where Unix-domain sockets cannot be used here (the path is too long, say); the
     *         channels then wait by parking alone
     */
    static ShmDoorbellServer open(Path path) {
        if (path.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 100) {
            LOG.log(Level.DEBUG, "doorbell path " + path + " is too long for a Unix-domain socket; idle shm readers"
                    + " will park instead of sleeping");
            return null;
        }
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            return new ShmDoorbellServer(path, server);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(Level.DEBUG, "no Unix-domain doorbell at " + path + " (" + e + "); idle shm readers will park"
                    + " instead of sleeping");
            if (server != null) {
                try {
                    server.close();
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // best effort
                }
            }
            return null;
        }
    }

    Path path() {
        return path;
    }

    /**
     * @param onConnect receives the doorbell when the child that holds the token connects
     * @return a fresh token for one channel
     */
    byte[] expect(Consumer<ShmDoorbell> onConnect) {
        byte[] token = RandomBytes.next(ShmSegmentDescriptor.CHANNEL_TOKEN_LENGTH);
        expected.put(HexFormat.of().formatHex(token), onConnect);
        return token;
    }

    /** Forgets a token whose child will not connect any more. */
    void forget(byte[] token) {
        expected.remove(HexFormat.of().formatHex(token));
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel socket;
            try {
                socket = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "shm doorbell socket " + path + " failed; idle readers will park instead", e);
                return;
            }
            try {
                // Only processes of our user can connect (mode 0600): a blocking read of the token is safe here.
                ByteBuffer token = ByteBuffer.allocate(ShmSegmentDescriptor.CHANNEL_TOKEN_LENGTH);
                while (token.hasRemaining()) {
                    if (socket.read(token) < 0) {
                        throw new IOException("closed before it sent its token");
                    }
                }
                Consumer<ShmDoorbell> channel = expected.remove(HexFormat.of().formatHex(token.array()));
                if (channel == null) {
                    throw new IOException("presented a token of no channel");
                }
                channel.accept(new ShmDoorbell(socket));
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "refused a doorbell connection: " + e.getMessage());
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // refused either way
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "could not remove doorbell socket " + path + "; the next context sweeps it", e);
        }
        expected.clear();
    }

    /** Child side: connects to the doorbell at this path and presents the token. */
    static ShmDoorbell connect(Path path, byte[] token) throws IOException {
        SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            socket.connect(UnixDomainSocketAddress.of(path));
            ByteBuffer out = ByteBuffer.wrap(token);
            while (out.hasRemaining()) {
                socket.write(out);
            }
            return new ShmDoorbell(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
