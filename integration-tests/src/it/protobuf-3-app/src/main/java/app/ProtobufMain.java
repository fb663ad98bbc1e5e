package app;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Uses the application's own protobuf-java 3.25 (a {@link Timestamp} written and parsed back), then runs the shared
 * scenario next to it. Prints, before the scenario's lines:
 * <pre>
 * [protobuf] Timestamp comes from protobuf-java-3.25.5.jar
 * [protobuf] Timestamp round trip: 2023-11-14T22:13:20Z
 * </pre>
 * The first line proves that the class path really holds 3.25, not the 4.x that multiproc asks for.
 */
public final class ProtobufMain {
    private ProtobufMain() {
    }

    /**
     * @param args the transports, as for {@link Main#main}
     * @throws InvalidProtocolBufferException if protobuf cannot read what it wrote
     */
    public static void main(String[] args) throws InvalidProtocolBufferException {
        Path jar = Path.of(Timestamp.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        System.out.println("[protobuf] Timestamp comes from " + jar.getFileName());
        byte[] wire = Timestamp.newBuilder().setSeconds(1_700_000_000L).build().toByteArray();
        Timestamp back = Timestamp.parseFrom(wire);
        System.out.println("[protobuf] Timestamp round trip: " + Instant.ofEpochSecond(back.getSeconds(), back.getNanos()));
        Main.main(args);
    }
}
