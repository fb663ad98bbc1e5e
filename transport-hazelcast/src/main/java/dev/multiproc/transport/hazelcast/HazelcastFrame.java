package dev.multiproc.transport.hazelcast;

import dev.multiproc.spi.HmacSha256;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * One element of a channel's queue: a message with its kind, its sequence number and an HMAC-SHA256 under the
 * context's key.
 *
 * <pre>
 *  0      1                9                9+n            9+n+32
 *  +------+----------------+----------------+--------------+
 *  | kind | sequence (BE)  | payload (n)    | HMAC-SHA256  |
 *  +------+----------------+----------------+--------------+
 * </pre>
 *
 * The HMAC covers the queue's name too (context, child, direction), then every byte before it: a frame cannot be
 * moved to another channel or direction, and the receiver's expected sequence number refuses a replayed, dropped or
 * reordered one.
 */
final class HazelcastFrame {
    static final byte HELLO = 1;
    static final byte DATA = 2;
    static final byte CLOSE = 3;
    /** A remote worker's join request ({@link HazelcastJoin}). */
    static final byte JOIN = 4;
    /** Asks the peer to answer once it has handled every frame before this one. */
    static final byte SYNC = 5;
    /** Answers a {@link #SYNC}: its payload is the sync's sequence number. */
    static final byte SYNC_ACK = 6;
    static final int HEADER = 9;
    static final int MAC = 32;

    private HazelcastFrame() {
    }

    static byte[] encode(byte[] key, byte[] channelLabel, byte kind, long sequence, ByteBuffer payload) {
        int length = payload == null ? 0 : payload.remaining();
        byte[] frame = new byte[HEADER + length + MAC];
        ByteBuffer out = ByteBuffer.wrap(frame);
        out.put(kind).putLong(sequence);
        if (payload != null) {
            out.put(payload);
        }
        byte[] mac = HmacSha256.of(key, channelLabel, Arrays.copyOf(frame, HEADER + length));
        System.arraycopy(mac, 0, frame, HEADER + length, MAC);
        return frame;
    }

    /**
     * @return the frame's kind, after checking its HMAC and that its sequence number is the expected one
     * @throws ProtocolException if the element is not an authentic frame of this channel, in order
     */
    static byte verify(byte[] key, byte[] channelLabel, Object element, long expectedSequence, String peer)
            throws ProtocolException {
        if (!(element instanceof byte[] frame) || frame.length < HEADER + MAC) {
            throw new ProtocolException("an element that is not a multiproc frame arrived in the queue from " + peer
                    + "; someone else writes to this context's queues: closing the channel");
        }
        byte[] expected = HmacSha256.of(key, channelLabel, Arrays.copyOf(frame, frame.length - MAC));
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(frame, frame.length - MAC, frame.length))) {
            throw new ProtocolException("a frame from " + peer + " failed authentication (wrong key): closing the"
                    + " channel");
        }
        long sequence = ByteBuffer.wrap(frame, 1, 8).getLong();
        if (sequence != expectedSequence) {
            throw new ProtocolException("frame " + sequence + " from " + peer + " arrived where frame "
                    + expectedSequence + " was due (replayed or lost): closing the channel");
        }
        return frame[0];
    }

    /** @return the frame's sequence number (check the frame with {@link #verify} first) */
    static long sequence(byte[] frame) {
        return ByteBuffer.wrap(frame, 1, Long.BYTES).getLong();
    }

    static int payloadLength(byte[] frame) {
        return frame.length - HEADER - MAC;
    }

    static byte[] label(String contextId, String childId, boolean toChild) {
        return HazelcastDescriptor.queueName(contextId, childId, toChild).getBytes(StandardCharsets.UTF_8);
    }
}
