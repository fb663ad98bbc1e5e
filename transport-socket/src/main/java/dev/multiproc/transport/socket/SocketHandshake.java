package dev.multiproc.transport.socket;

import dev.multiproc.spi.HmacSha256;
import dev.multiproc.spi.RandomBytes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The mutual authentication every connection starts with, before any message is parsed. Each step is one frame
 * ({@code int32 length} + payload), at most {@value #MAX_HANDSHAKE_FRAME} bytes:
 *
 * <pre>
 *  child  -> parent  "MPS1" | nonceC[32] | childId (UTF-8)
 *  parent -> child   nonceS[32] | HMAC(key, "parent" | nonceC | nonceS | childId)
 *  child  -> parent  HMAC(key, "child" | nonceS | nonceC | childId)
 *  parent -> remote  maxMessageSize int32 | contextId (UTF-8)      (remote workers only)
 * </pre>
 *
 * A spawned child uses the id the parent gave it on its command line. A {@linkplain RemoteWorker remote worker}
 * chooses its own, {@code remote/NAME/RANDOM}; once its proof is checked, the parent tells it what a spawned child
 * learns from its command line: the maximum message size and the context's id.
 *
 * The child checks the parent's proof before it sends anything else (so it never talks to an impostor on the
 * port); the parent checks the child's before it reads a single message (so nothing from an unauthenticated peer
 * is ever deserialized). Fresh nonces on both sides defeat replay. Proofs are compared in constant time.
 */
final class SocketHandshake {
    static final byte[] MAGIC = {'M', 'P', 'S', '1'};
    static final int KEY_LENGTH = 32;
    static final int NONCE_LENGTH = 32;
    static final int PROOF_LENGTH = 32;
    static final int MAX_HANDSHAKE_FRAME = 512;
    static final int MAX_CHILD_ID_LENGTH = 128;
    /** The prefix of a remote worker's child id. */
    static final String REMOTE_PREFIX = "remote/";
    /** Ids of pipe-end connections: {@code pipe/<pipe id>/<0 or 1>}. */
    static final String PIPE_PREFIX = "pipe/";
    /** The longest name a remote worker may give itself (its id must fit {@link #MAX_CHILD_ID_LENGTH}). */
    static final int MAX_REMOTE_NAME_LENGTH = 64;

    /** SHA-256's block size, for HMAC's pads (RFC 2104). */

    private SocketHandshake() {
    }

    /** @return fresh random bytes ({@link RandomBytes}: every child connects with a fresh nonce) */
    static byte[] random(int length) {
        return RandomBytes.next(length);
    }

    /** HMAC-SHA256 of {@code role | firstNonce | secondNonce | childId} under {@code key} (see {@link HmacSha256}). */
    static byte[] proof(byte[] key, String role, byte[] firstNonce, byte[] secondNonce, String childId) {
        return HmacSha256.of(key, role.getBytes(StandardCharsets.US_ASCII), firstNonce, secondNonce,
                childId.getBytes(StandardCharsets.UTF_8));
    }

    /** @return true if {@code childId} is one a remote worker chose */
    static boolean isPipe(String childId) {
        return childId.startsWith(PIPE_PREFIX);
    }

    static boolean isRemote(String childId) {
        return childId.startsWith(REMOTE_PREFIX);
    }

    /** @return the name part of a remote worker's id {@code remote/NAME/RANDOM} */
    static String remoteName(String childId) {
        int end = childId.lastIndexOf('/');
        return end > REMOTE_PREFIX.length() ? childId.substring(REMOTE_PREFIX.length(), end) : "?";
    }

    static boolean matches(byte[] expected, byte[] actual) {
        return MessageDigest.isEqual(expected, actual);
    }
}
