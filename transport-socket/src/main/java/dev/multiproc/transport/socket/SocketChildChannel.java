package dev.multiproc.transport.socket;

import dev.multiproc.AuthenticationException;
import dev.multiproc.ProtocolException;
import dev.multiproc.spi.AbstractMessageChannel;
import dev.multiproc.spi.ChildEndpoint;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A child's channel to its parent: a plain JDK socket (no Netty in children: it would triple their start-up), a
 * daemon reader thread, and length-prefixed frames.
 */
final class SocketChildChannel extends AbstractMessageChannel {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    private SocketChildChannel(Socket socket, DataInputStream in, DataOutputStream out, int maxMessageSize) {
        super("the parent", maxMessageSize);
        this.socket = socket;
        this.in = in;
        this.out = out;
    }

    /** A channel over a socket that has already authenticated (a remote worker's). */
    static SocketChildChannel over(Socket socket, DataInputStream in, DataOutputStream out, int maxMessageSize) {
        return new SocketChildChannel(socket, in, out, maxMessageSize);
    }

    static SocketChildChannel connect(ChildEndpoint endpoint) throws IOException {
        byte[] key = endpoint.secret();
        if (key.length == 0) {
            throw new IOException("no authkey from the parent: this child must be started by a multiproc parent");
        }
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
            throw new AuthenticationException("the process at the parent's address does not know this context's"
                    + " key; refusing to talk to it (a remote worker needs the parent's authkey file)");
        }
        byte[] proof = SocketHandshake.proof(key, "child", nonceS, nonceC, childId);
        out.writeInt(proof.length);
        out.write(proof);
        out.flush();
    }

    @Override
    protected void startDelivery() {
        startReaderThread("multiproc-socket-reader", this::readLoop);
    }

    private void readLoop() throws IOException {
        byte[] buffer = new byte[8192];
        while (true) {
            int length;
            try {
                length = in.readInt();
            } catch (EOFException end) {
                return;
            }
            checkFrameLength(length);
            if (buffer.length < length) {
                buffer = new byte[length];
            }
            in.readFully(buffer, 0, length);
            deliver(ByteBuffer.wrap(buffer, 0, length));
        }
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        SocketPipeEnd.fence(); // what this process sent on a pipe before is with the parent before this
        super.send(message);
    }

    @Override
    protected void write(ByteBuffer message) throws IOException {
        out.writeInt(message.remaining());
        writeRemaining(out, message);
        out.flush();
    }

    @Override
    protected void closeMedium() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
