package dev.multiproc.transport.socket;

import dev.multiproc.spi.AuthkeyFile;
import dev.multiproc.AuthenticationException;
import dev.multiproc.ProtocolException;
import dev.multiproc.spi.RemoteWorkerMain;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A pool worker on another host (or any process the parent did not spawn): connects to a parent that uses the
 * socket transport, authenticates with the shared authkey file, waits until a pool takes it, and then runs tasks
 * like a spawned worker.
 *
 * <pre>
 * java -cp &lt;the parent's jars&gt; dev.multiproc.transport.socket.RemoteWorker \
 *      --connect HOST:PORT --authkey-file FILE [--name NAME] [--connect-timeout SECONDS] [--tls-trust CERT]
 * </pre>
 *
 * The parent must listen where this host can reach it ({@code -Dmultiproc.socket.bind},
 * {@code -Dmultiproc.socket.port}) and use the same key ({@code -Dmultiproc.socket.authkeyFile}); its pool asks for
 * remote workers with {@code Pool.Builder.remoteWorkers(n)} or {@code -Dmultiproc.pool.remoteWorkers=n}. The class
 * path must hold the classes of the tasks, as the parent's does.
 *
 * <p>The worker serves one pool. Its connection is its lifeline: when the pool shuts it down it exits with status
 * 0; when the connection drops (the parent died, the network broke) it exits with status 3. Status 2 means a bad
 * command line, a bad authkey file, or a parent that refused it or could not prove it knows the key. It keeps
 * trying to connect for {@code --connect-timeout} seconds (default 60), so it may be started before the parent.
 *
 * <p>With {@code --tls-trust CERT} (PEM: the parent's certificate, or the CA that signed it) the connection runs over
 * TLS, and the worker talks only to a parent holding the private key of a certificate in that file; a parent with
 * {@code -Dmultiproc.socket.tls.certFile} refuses remote workers without it.
 */
public final class RemoteWorker {
    private static final String USAGE = "usage: java -cp <the parent's class path> " + RemoteWorker.class.getName()
            + " --connect HOST:PORT --authkey-file FILE [--name NAME] [--connect-timeout SECONDS] [--tls-trust CERT]";
    private static final int EXIT_USAGE = 2;
    private static final int EXIT_UNREACHABLE = 3;
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 30_000;

    private RemoteWorker() {
    }

    /**
     * Runs a remote worker; never returns. Exit statuses: 0 shut down by its pool, 2 bad arguments, bad key file
     * or refused, 3 the parent could not be reached or the connection dropped.
     *
     * @param args {@code --connect HOST:PORT --authkey-file FILE [--name NAME] [--connect-timeout SECONDS]
     *        [--tls-trust CERT]}
     */
    public static void main(String[] args) {
        String connect = null;
        String keyFile = null;
        String name = null;
        String tlsTrust = null;
        long connectTimeoutSeconds = 60;
        try {
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals("--help") || option.equals("-h")) {
                    System.out.println(USAGE);
                    System.exit(0);
                }
                if (i + 1 >= args.length) {
                    fail(EXIT_USAGE, option + " needs a value");
                }
                String value = args[++i];
                switch (option) {
                    case "--connect" -> connect = value;
                    case "--authkey-file" -> keyFile = value;
                    case "--name" -> name = value;
                    case "--tls-trust" -> tlsTrust = value;
                    case "--connect-timeout" -> connectTimeoutSeconds = Long.parseLong(value);
                    default -> fail(EXIT_USAGE, "unknown option " + option);
                }
            }
        } catch (NumberFormatException e) {
            fail(EXIT_USAGE, "--connect-timeout takes a number of seconds");
        }
        if (connect == null || keyFile == null) {
            fail(EXIT_USAGE, "--connect and --authkey-file are required");
        }
        int colon = connect.lastIndexOf(':');
        int port = -1;
        try {
            port = colon > 0 ? Integer.parseInt(connect.substring(colon + 1)) : -1;
        } catch (NumberFormatException e) {
            // reported below
        }
        if (port <= 0 || port > 65535) {
            fail(EXIT_USAGE, "--connect takes HOST:PORT, the parent's address, not '" + connect + "'");
        }
        String host = connect.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (name == null) {
            name = defaultName();
        }
        if (name.isEmpty() || name.length() > SocketHandshake.MAX_REMOTE_NAME_LENGTH || name.indexOf('/') >= 0) {
            fail(EXIT_USAGE, "--name takes 1 to " + SocketHandshake.MAX_REMOTE_NAME_LENGTH
                    + " characters without '/'");
        }
        byte[] key = null;
        try {
            key = AuthkeyFile.load(Path.of(keyFile));
        } catch (IOException e) {
            fail(EXIT_USAGE, e.getMessage());
        }
        String childId = SocketHandshake.REMOTE_PREFIX + name + "/"
                + HexFormat.of().formatHex(SocketHandshake.random(4));
        Socket socket = connect(host, port, TimeUnit.SECONDS.toNanos(connectTimeoutSeconds));
        try {
            socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            if (tlsTrust != null) {
                try {
                    socket = SocketTls.connect(socket, host, Path.of(tlsTrust));
                } catch (javax.net.ssl.SSLException | java.security.GeneralSecurityException e) {
                    fail(EXIT_USAGE, "TLS with the parent at " + connect + " failed: " + e.getMessage() + " (is "
                            + tlsTrust + " the parent's certificate or its CA's, and does the parent use TLS, -D"
                            + SocketTransport.TLS_CERT_FILE.name() + "?)");
                }
            }
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
            try {
                SocketChildChannel.authenticate(in, out, key, childId);
            } catch (ProtocolException | AuthenticationException e) {
                fail(EXIT_USAGE, "the parent at " + connect + " did not prove that it knows the key in " + keyFile
                        + ": the two authkey files differ, or this is not a multiproc parent");
            }
            int length = in.readInt();
            if (length < 5 || length > SocketHandshake.MAX_HANDSHAKE_FRAME) {
                fail(EXIT_USAGE, "the parent at " + connect + " sent a malformed welcome (" + length + " bytes)");
            }
            int maxMessageSize = in.readInt();
            byte[] contextId = new byte[length - 4];
            in.readFully(contextId);
            if (tlsTrust == null) {
                // pipe ends this worker receives reach the parent the same way (with TLS they are not supported)
                SocketPipeEnd.registerOwnParent(new SocketPipeEnd.Parent(host, port, key));
            }
            socket.setSoTimeout(0);
            SocketChildChannel channel = SocketChildChannel.over(socket, in, out, maxMessageSize);
            RemoteWorkerMain.serve(new String(contextId, StandardCharsets.UTF_8), childId, channel);
        } catch (EOFException e) {
            fail(EXIT_USAGE, "the parent at " + connect + " refused this worker (does it require TLS? then add"
                    + " --tls-trust CERT; does another worker use the name '" + name + "'? see the parent's log)");
        } catch (SocketTimeoutException e) {
            fail(EXIT_UNREACHABLE, "the parent at " + connect + " did not answer the handshake within "
                    + HANDSHAKE_TIMEOUT_MILLIS / 1000 + " s");
        } catch (IOException e) {
            fail(EXIT_UNREACHABLE, "the connection to the parent at " + connect + " broke: " + e);
        }
    }

    /** Connects, retrying while the parent is not (yet) listening, until the deadline. */
    private static Socket connect(String host, int port, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        long backoffMillis = 50;
        IOException last;
        do {
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                keepAlive(socket);
                long remainingMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                socket.connect(new InetSocketAddress(host, port), (int) Math.min(remainingMillis, 10_000));
                return socket;
            } catch (ConnectException | NoRouteToHostException | SocketTimeoutException e) {
                last = e;
            } catch (IOException e) {
                last = e;
                break;
            } finally {
                if (!socket.isConnected()) {
                    closeQuietly(socket);
                }
            }
            // The parent may not be listening yet: it is started independently of this worker.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMillis));
            backoffMillis = Math.min(1000, backoffMillis * 2);
        } while (System.nanoTime() < deadline);
        fail(EXIT_UNREACHABLE, "cannot reach the parent at " + host + ":" + port + " (" + last.getMessage() + "): is it"
                + " running, listening on that address (-D" + SocketTransport.BIND_ADDRESS.name() + ", -D"
                + SocketTransport.PORT.name() + ") and reachable through the firewall?");
        throw new AssertionError();
    }

    /**
     * Probes an idle connection after 15 s, so that a parent host that vanished without closing the connection (a
     * network partition, a power cut) is noticed within about 35 s instead of hours.
     */
    private static void keepAlive(Socket socket) throws IOException {
        socket.setKeepAlive(true);
        try {
            socket.setOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE, 15);
            socket.setOption(jdk.net.ExtendedSocketOptions.TCP_KEEPINTERVAL, 5);
            socket.setOption(jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT, 4);
        } catch (UnsupportedOperationException e) {
            // not on this platform: the system's keep-alive timing applies
        }
    }

    private static String defaultName() {
        String host = null;
        try {
            Path hostname = Path.of("/etc/hostname");
            if (Files.isReadable(hostname)) {
                host = Files.readString(hostname).trim();
            }
        } catch (IOException | RuntimeException e) {
            // fall back below
        }
        if (host == null || host.isEmpty() || host.indexOf('/') >= 0) {
            host = "worker";
        }
        String name = host + "-" + ProcessHandle.current().pid();
        return name.length() > SocketHandshake.MAX_REMOTE_NAME_LENGTH
                ? name.substring(name.length() - SocketHandshake.MAX_REMOTE_NAME_LENGTH) : name;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to release
        }
    }

    private static void fail(int status, String message) {
        System.err.println("multiproc remote worker: " + message);
        if (status == EXIT_USAGE && message.endsWith("required")) {
            System.err.println(USAGE);
        }
        System.exit(status);
    }
}
