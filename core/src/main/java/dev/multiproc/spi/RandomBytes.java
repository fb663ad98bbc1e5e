package dev.multiproc.spi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * Unguessable bytes for a transport's tokens, nonces and keys, cheap in a cold JVM: read from the kernel's
 * {@code /dev/urandom} (which the JDK's default {@code SecureRandom} reads on Linux and macOS too), or from
 * {@code SecureRandom} where that file cannot be read. A JVM's first {@code SecureRandom} spends 35-40 ms setting up
 * the security providers, and every child that authenticates, and every context that hands out a token, would pay
 * it at start-up.
 */
public final class RandomBytes {
    private static final Path URANDOM = Path.of("/dev/urandom");

    private RandomBytes() {
    }

    /**
     * @param length how many bytes
     * @return that many fresh random bytes
     */
    public static byte[] next(int length) {
        byte[] bytes = new byte[length];
        try (InputStream in = Files.newInputStream(URANDOM)) {
            if (in.readNBytes(bytes, 0, length) == length) {
                return bytes;
            }
        } catch (IOException | RuntimeException e) {
            // not a Unix-like system: the JDK's own generator
        }
        Fallback.RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Made only where {@code /dev/urandom} cannot be read. */
    private static final class Fallback {
        static final SecureRandom RANDOM = new SecureRandom();
    }
}
