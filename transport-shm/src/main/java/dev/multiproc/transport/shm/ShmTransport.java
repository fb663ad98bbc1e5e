package dev.multiproc.transport.shm;

import dev.multiproc.spi.ChildEndpoint;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.ParentTransport;
import dev.multiproc.spi.Transport;
import dev.multiproc.spi.TransportConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The {@code shm} transport: each child's channel is a pair of one-to-one rings in a segment file under
 * {@code /dev/shm}, and shared ints, longs and locks are cells of shared memory. The child still gets core's stdin
 * lifeline; its descriptor is the path of its channel segment, which only the owner's user can open (mode 0600).
 *
 * <p>Settings (system properties of the parent; children inherit them): {@value #RING_BYTES_PROPERTY} (bytes per
 * ring and direction, a power of two, default 1 MiB), {@value ShmDirectory#DIR_PROPERTY} (where segments go) and
 * {@value ShmIdleStrategy#MAX_PARK_PROPERTY} (how long an idle reader sleeps at most, in µs).
 */
public final class ShmTransport implements Transport {
    /** System property: the capacity of each ring, in bytes. */
    public static final String RING_BYTES_PROPERTY = "multiproc.shm.ringBytes";
    static final int DEFAULT_RING_BYTES = 1 << 20;

    /** Public for {@link java.util.ServiceLoader}. */
    public ShmTransport() {
    }

    @Override
    public String name() {
        return "shm";
    }

    @Override
    public int priority() {
        return 1;
    }

    @Override
    public ParentTransport open(TransportConfig config) throws IOException {
        Path directory = ShmDirectory.directory();
        ShmDirectory.sweep(directory);
        return new ShmParentTransport(directory, ShmDirectory.prefixFor(config.contextId()), ringBytes(),
                config.maxMessageSize());
    }

    static int ringBytes() {
        String value = System.getProperty(RING_BYTES_PROPERTY);
        if (value == null) {
            return DEFAULT_RING_BYTES;
        }
        try {
            int bytes = Integer.parseInt(value.trim());
            ShmRingDescriptor.checkCapacity(bytes);
            if (bytes > (1 << 29)) {
                throw new IllegalArgumentException("at most 512 MiB");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-D" + RING_BYTES_PROPERTY + "=" + value + " is not a valid ring size: "
                    + "give a power of two between " + ShmRingDescriptor.MIN_CAPACITY + " and 536870912 ("
                    + e.getMessage() + ")", e);
        }
    }

    @Override
    public MessageChannel connect(ChildEndpoint endpoint) throws IOException {
        ShmSegment segment = ShmSegment.open(Paths.get(endpoint.descriptor()), ShmSegmentDescriptor.KIND_CHANNEL);
        ShmOneToOneRing in = new ShmOneToOneRing(segment.buffer(), ShmParentTransport.toChildRing(),
                "ring from the parent in " + segment.path());
        ShmOneToOneRing out = new ShmOneToOneRing(segment.buffer(), ShmParentTransport.toParentRing(in.capacity()),
                "ring to the parent in " + segment.path());
        long self = ProcessHandle.current().pid();
        in.setConsumerPid(self);
        out.setProducerPid(self);
        long parentPid = segment.ownerPid();
        ShmChannel channel = new ShmChannel(out, in, endpoint.maxMessageSize(), "parent", () -> parentPid, null);
        ShmDoorbell bell = connectDoorbell(segment);
        if (bell != null) {
            channel.attachDoorbell(bell);
        }
        return channel;
    }

    /** @return the doorbell the segment names, connected; null if it names none or it cannot be reached */
    private static ShmDoorbell connectDoorbell(ShmSegment segment) {
        ByteBuffer header = segment.buffer();
        int length = header.getInt(ShmSegmentDescriptor.CHANNEL_BELL_PATH_LENGTH_OFFSET);
        if (length <= 0 || length > ShmSegmentDescriptor.CHANNEL_BELL_PATH_MAX) {
            return null;
        }
        byte[] path = new byte[length];
        header.get(ShmSegmentDescriptor.CHANNEL_BELL_PATH_OFFSET, path);
        byte[] token = new byte[ShmSegmentDescriptor.CHANNEL_TOKEN_LENGTH];
        header.get(ShmSegmentDescriptor.CHANNEL_TOKEN_OFFSET, token);
        try {
            return ShmDoorbellServer.connect(Paths.get(new String(path, StandardCharsets.UTF_8)), token);
        } catch (IOException | RuntimeException e) {
            System.getLogger("dev.multiproc.shm").log(System.Logger.Level.DEBUG, "no doorbell (" + e
                    + "); idle reads will park instead of sleeping");
            return null;
        }
    }
}
