package dev.multiproc.internal.net;

import dev.multiproc.AuthenticationException;
import dev.multiproc.ProtocolException;
import dev.multiproc.spi.HmacSha256;
import dev.multiproc.spi.RandomBytes;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The mutual authentication a listener and a client go through before either reads a message, as Python's
 * {@code deliver_challenge}/{@code answer_challenge} in both directions. Every step is a frame, {@code uint32}
 * big-endian length then payload, of at most {@value #MAX_FRAME} bytes:
 *
 * <pre>
 *  client   -> listener  "MPL1" | nonceC[32]
 *  listener -> client    "MPL1" | nonceS[32] | HMAC-SHA256(key, "multiproc-listener" | nonceC | nonceS)
 *  client   -> listener  0x01 | HMAC-SHA256(key, "multiproc-client" | nonceS | nonceC) | maxMessageSize int32
 *                        or 0x00: the listener's proof was wrong (the keys differ)
 *  listener -> client    0x01 | maxMessageSize int32
 *                        or 0x00: the client's proof was wrong
 * </pre>
 *
 * Then both sides send messages ({@link NetChannel}). Fresh nonces on both sides defeat replay; the role labels keep
 * a proof from being reflected back as the other side's. Proofs are compared in constant time. The client checks
 * the listener's proof before it proves anything itself, and says so if it fails, so that both ends of a key
 * mismatch report an {@link AuthenticationException}.
 */
final class NetHandshake {
    static final byte[] MAGIC = {'M', 'P', 'L', '1'};
    static final int NONCE_LENGTH = 32;
    static final int PROOF_LENGTH = 32;
    static final int MAX_FRAME = 256;
    static final byte OK = 1;
    static final byte FAILURE = 0;
    private static final String LISTENER = "multiproc-listener";
    private static final String CLIENT = "multiproc-client";
    /** SHA-256's block size, for HMAC's pads (RFC 2104). */

    private NetHandshake() {
    }

    /**
     * The listener's half.
     *
     * @return the client's maximum message size
     * @throws AuthenticationException if the keys differ (the client is told so)
     * @throws ProtocolException if the client does not speak this protocol
     * @throws IOException if the connection fails or is closed (the handshake timed out)
     */
    static int asListener(SocketChannel channel, byte[] key, int maxMessageSize, String peer) throws IOException {
        byte[] hello = readFrame(channel, peer);
        if (hello.length != MAGIC.length + NONCE_LENGTH || !Arrays.equals(hello, 0, MAGIC.length, MAGIC, 0,
                MAGIC.length)) {
            throw new ProtocolException(peer + " does not speak the multiproc connection protocol");
        }
        byte[] nonceC = Arrays.copyOfRange(hello, MAGIC.length, hello.length);
        byte[] nonceS = RandomBytes.next(NONCE_LENGTH);
        writeFrame(channel, ByteBuffer.allocate(MAGIC.length + NONCE_LENGTH + PROOF_LENGTH).put(MAGIC).put(nonceS)
                .put(proof(key, LISTENER, nonceC, nonceS)).flip());
        ByteBuffer answer = ByteBuffer.wrap(readFrame(channel, peer));
        if (answer.remaining() == 1 && answer.get(0) == FAILURE) {
            throw new AuthenticationException(peer + " has another authentication key: it refused this listener's"
                    + " proof");
        }
        if (answer.remaining() != 1 + PROOF_LENGTH + 4 || answer.get() != OK) {
            throw new ProtocolException(peer + " sent a malformed answer to the challenge");
        }
        byte[] clientProof = new byte[PROOF_LENGTH];
        answer.get(clientProof);
        int peerMax = answer.getInt();
        if (!MessageDigest.isEqual(proof(key, CLIENT, nonceS, nonceC), clientProof)) {
            writeFrame(channel, ByteBuffer.wrap(new byte[] {FAILURE}));
            throw new AuthenticationException(peer + " failed authentication: wrong key");
        }
        if (peerMax <= 0) {
            throw new ProtocolException(peer + " announced a maximum message size of " + peerMax);
        }
        writeFrame(channel, ByteBuffer.allocate(5).put(OK).putInt(maxMessageSize).flip());
        return peerMax;
    }

    /**
     * The client's half.
     *
     * @return the listener's maximum message size
     * @throws AuthenticationException if the keys differ (the listener is told so)
     * @throws ProtocolException if the listener does not speak this protocol
     * @throws IOException if the connection fails or is closed (the handshake timed out)
     */
    static int asClient(SocketChannel channel, byte[] key, int maxMessageSize, String peer) throws IOException {
        byte[] nonceC = RandomBytes.next(NONCE_LENGTH);
        writeFrame(channel, ByteBuffer.allocate(MAGIC.length + NONCE_LENGTH).put(MAGIC).put(nonceC).flip());
        byte[] frame = readFrame(channel, peer);
        if (frame.length != MAGIC.length + NONCE_LENGTH + PROOF_LENGTH
                || !Arrays.equals(frame, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new ProtocolException(peer + " is not a multiproc listener");
        }
        ByteBuffer challenge = ByteBuffer.wrap(frame).position(MAGIC.length);
        byte[] nonceS = new byte[NONCE_LENGTH];
        byte[] listenerProof = new byte[PROOF_LENGTH];
        challenge.get(nonceS).get(listenerProof);
        if (!MessageDigest.isEqual(proof(key, LISTENER, nonceC, nonceS), listenerProof)) {
            writeFrame(channel, ByteBuffer.wrap(new byte[] {FAILURE}));
            throw new AuthenticationException(peer + " does not know this authentication key: the keys differ;"
                    + " refusing to talk to it");
        }
        writeFrame(channel, ByteBuffer.allocate(1 + PROOF_LENGTH + 4).put(OK)
                .put(proof(key, CLIENT, nonceS, nonceC)).putInt(maxMessageSize).flip());
        ByteBuffer welcome = ByteBuffer.wrap(readFrame(channel, peer));
        if (welcome.remaining() == 1 && welcome.get(0) == FAILURE) {
            throw new AuthenticationException(peer + " refused this authentication key");
        }
        if (welcome.remaining() != 5 || welcome.get() != OK) {
            throw new ProtocolException(peer + " sent a malformed welcome");
        }
        int peerMax = welcome.getInt();
        if (peerMax <= 0) {
            throw new ProtocolException(peer + " announced a maximum message size of " + peerMax);
        }
        return peerMax;
    }

    /** HMAC-SHA256 of {@code role | firstNonce | secondNonce} under {@code key} (see {@link HmacSha256}). */
    static byte[] proof(byte[] key, String role, byte[] firstNonce, byte[] secondNonce) {
        return HmacSha256.of(key, role.getBytes(StandardCharsets.US_ASCII), firstNonce, secondNonce);
    }

    private static byte[] readFrame(SocketChannel channel, String peer) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4);
        readFully(channel, header);
        int length = header.flip().getInt();
        if (length < 0 || length > MAX_FRAME) {
            throw new ProtocolException(peer + " sent a handshake frame of " + (length & 0xFFFFFFFFL)
                    + " bytes (at most " + MAX_FRAME + "): not the multiproc connection protocol");
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        readFully(channel, body);
        return body.array();
    }

    static void readFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("the connection ended");
            }
        }
    }

    private static void writeFrame(SocketChannel channel, ByteBuffer payload) throws IOException {
        ByteBuffer[] frame = {ByteBuffer.allocate(4).putInt(payload.remaining()).flip(), payload};
        while (frame[1].hasRemaining()) {
            channel.write(frame);
        }
    }
}
