package dev.multiproc.transport.socket;

import dev.multiproc.ProtocolException;
import dev.multiproc.spi.ChildEndpoint;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.MessageHandler;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A child's channel to its parent: a plain JDK socket (no Netty in children: it would triple their start-up), a
 * daemon reader thread, and length-prefixed frames.
 */
final class SocketChildChannel implements MessageChannel {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final int maxMessageSize;
    private final AtomicBoolean closeReported = new AtomicBoolean();
    private volatile boolean closed;
    private volatile MessageHandler handler;

    private SocketChildChannel(Socket socket, DataInputStream in, DataOutputStream out, int maxMessageSize) {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.maxMessageSize = maxMessageSize;
    }

    /** A channel over a socket that has already authenticated (a remote worker's). */
    static SocketChildChannel over(Socket socket, DataInputStream in, DataOutputStream out, int maxMessageSize) {
        return new SocketChildChannel(socket, in, out, maxMessageSize);
    }

    static SocketChildChannel connect(ChildEndpoint endpoint) throws IOException {
        byte[] key = readKey(endpoint.standardInput());
        String descriptor = endpoint.descriptor();
        int colon = descriptor.lastIndexOf(':');
        if (colon < 0) {
            throw new IOException("socket transport expects a HOST:PORT descriptor, got '" + descriptor + "'");
        }
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(descriptor.substring(0, colon),
                    Integer.parseInt(descriptor.substring(colon + 1))), CONNECT_TIMEOUT_MILLIS);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
            authenticate(in, out, key, endpoint.childId());
            // pipe ends this child receives reach the parent the same way
            SocketPipeEnd.registerOwnParent(new SocketPipeEnd.Parent(descriptor.substring(0, colon),
                    Integer.parseInt(descriptor.substring(colon + 1)), key));
            return new SocketChildChannel(socket, in, out, endpoint.maxMessageSize());
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The parent writes the context's key on the child's stdin, hex and a newline, before anything else. */
    private static byte[] readKey(InputStream stdin) throws IOException {
        StringBuilder hex = new StringBuilder(SocketHandshake.KEY_LENGTH * 2);
        for (int b = stdin.read(); b != '\n'; b = stdin.read()) {
            if (b < 0 || hex.length() > SocketAuthkey.MAX_LENGTH * 2) {
                throw new IOException("no authkey on stdin: this child must be started by a multiproc parent");
            }
            hex.append((char) b);
        }
        return HexFormat.of().parseHex(hex);
    }

    /** The child's half of {@link SocketHandshake}; throws if the parent does not prove it knows the key. */
    static void authenticate(DataInputStream in, DataOutputStream out, byte[] key, String childId)
            throws IOException {
        byte[] nonceC = SocketHandshake.random(SocketHandshake.NONCE_LENGTH);
        byte[] id = childId.getBytes(StandardCharsets.UTF_8);
        out.writeInt(SocketHandshake.MAGIC.length + nonceC.length + id.length);
        out.write(SocketHandshake.MAGIC);
        out.write(nonceC);
        out.write(id);
        out.flush();
        int length = in.readInt();
        if (length != SocketHandshake.NONCE_LENGTH + SocketHandshake.PROOF_LENGTH) {
            throw new ProtocolException("the parent's challenge has " + length + " bytes: not a multiproc parent");
        }
        byte[] nonceS = new byte[SocketHandshake.NONCE_LENGTH];
        byte[] parentProof = new byte[SocketHandshake.PROOF_LENGTH];
        in.readFully(nonceS);
        in.readFully(parentProof);
        if (!SocketHandshake.matches(SocketHandshake.proof(key, "parent", nonceC, nonceS, childId), parentProof)) {
            throw new ProtocolException("the process at the parent's address does not know this context's key;"
                    + " refusing to talk to it");
        }
        byte[] proof = SocketHandshake.proof(key, "child", nonceS, nonceC, childId);
        out.writeInt(proof.length);
        out.write(proof);
        out.flush();
    }

    @Override
    public void start(MessageHandler handler) {
        this.handler = handler;
        Thread reader = new Thread(this::readLoop, "multiproc-socket-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void readLoop() {
        Throwable cause = null;
        byte[] buffer = new byte[8192];
        try {
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException end) {
                    break;
                }
                if (length < 0 || length > maxMessageSize) {
                    throw new ProtocolException("frame from the parent claims " + length
                            + " bytes, more than the maximum of " + maxMessageSize);
                }
                if (buffer.length < length) {
                    buffer = new byte[length];
                }
                in.readFully(buffer, 0, length);
                handler.onMessage(ByteBuffer.wrap(buffer, 0, length));
            }
        } catch (IOException | RuntimeException e) {
            cause = closed ? null : e;
        } catch (Error e) {
            cause = e; // out of memory in the handler: the owner must hear why, not wait for what is never read
        } finally {
            reportClose(cause);
        }
    }

    private void reportClose(Throwable cause) {
        MessageHandler current = handler;
        if (current != null && closeReported.compareAndSet(false, true)) {
            current.onClose(cause);
        }
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        int length = message.remaining();
        MessageChannel.checkMessageSize(length, maxMessageSize);
        if (closed) {
            throw new IOException("channel to the parent is closed");
        }
        SocketPipeEnd.fence(); // what this process sent on a pipe before is with the parent before this
        synchronized (out) {
            out.writeInt(length);
            if (message.hasArray()) {
                out.write(message.array(), message.arrayOffset() + message.position(), length);
                message.position(message.limit());
            } else {
                byte[] copy = new byte[length];
                message.get(copy);
                out.write(copy);
            }
            out.flush();
        }
    }

    @Override
    public int maxMessageSize() {
        return maxMessageSize;
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        reportClose(null);
    }
}
