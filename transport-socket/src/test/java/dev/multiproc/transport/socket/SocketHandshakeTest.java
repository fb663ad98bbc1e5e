package dev.multiproc.transport.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The handshake's own HMAC, against the JDK's. */
class SocketHandshakeTest {
    @Test
    void theProofIsTheJdksHmacSha256ForEveryKeyLength() throws Exception {
        Random random = new Random(42);
        for (int keyLength : new int[] {0, 1, 31, 32, 63, 64, 65, 200}) {
            byte[] key = new byte[keyLength];
            byte[] first = new byte[SocketHandshake.NONCE_LENGTH];
            byte[] second = new byte[SocketHandshake.NONCE_LENGTH];
            random.nextBytes(key);
            random.nextBytes(first);
            random.nextBytes(second);
            String childId = "child-" + keyLength + "-é";
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keyLength == 0 ? new byte[1] : key, "HmacSHA256"));
            if (keyLength == 0) {
                // SecretKeySpec refuses an empty key; HMAC pads it to the same block as one zero byte
                mac.init(new SecretKeySpec(new byte[1], "HmacSHA256"));
            }
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            message.writeBytes("parent".getBytes(StandardCharsets.US_ASCII));
            message.writeBytes(first);
            message.writeBytes(second);
            message.writeBytes(childId.getBytes(StandardCharsets.UTF_8));
            assertArrayEquals(mac.doFinal(message.toByteArray()),
                    SocketHandshake.proof(key, "parent", first, second, childId), "key of " + keyLength + " bytes");
        }
    }
}
