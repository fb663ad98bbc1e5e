package dev.multiproc.spi;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA256 (RFC 2104) on the JDK's SHA-256 {@code MessageDigest}, for a transport's challenge-response: the same
 * bytes as {@code Mac.getInstance("HmacSHA256")}, without the tens of milliseconds a cold JVM spends setting up and
 * verifying the JCE providers before its first {@code Mac} (every child that authenticates would pay them at
 * start-up). Compare proofs with {@link MessageDigest#isEqual}, which takes the same time whatever the bytes.
 */
public final class HmacSha256 {
    private static final int BLOCK = 64;

    private HmacSha256() {
    }

    /**
     * @param key the secret key, any length (longer than 64 bytes: its SHA-256 is used, as RFC 2104 says)
     * @param message the message, in parts that are authenticated as their concatenation
     * @return the 32-byte HMAC-SHA256 of the message under the key
     */
    public static byte[] of(byte[] key, byte[]... message) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
        byte[] block = key.length > BLOCK ? sha.digest(key) : key;
        byte[] inner = new byte[BLOCK];
        byte[] outer = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < block.length ? block[i] : 0;
            inner[i] = (byte) (k ^ 0x36);
            outer[i] = (byte) (k ^ 0x5c);
        }
        sha.update(inner);
        for (byte[] part : message) {
            sha.update(part);
        }
        byte[] innerHash = sha.digest();
        sha.update(outer);
        return sha.digest(innerHash);
    }
}
