package dev.multiproc.transport.shm;

import dev.multiproc.ContextOption;
import dev.multiproc.spi.ChildEndpoint;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.NativeBuffer;
import dev.multiproc.spi.ParentTransport;
import dev.multiproc.spi.Transport;
import dev.multiproc.spi.TransportConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * The {@code shm} transport: each child's channel is a pair of one-to-one rings in a segment file under
 * {@code /dev/shm}, and shared ints, longs and locks are cells of shared memory. The child still gets core's stdin
 * lifeline; its descriptor is the path of its channel segment, which only the owner's user can open (mode 0600).
 *
 * <p>Settings: the {@link ContextOption}s below, per context ({@code Context.Builder.option}) or by their system
 * properties; a context's children get its values.
 */
public final class ShmTransport implements Transport {
    /** The capacity of each ring of a channel, per direction, in bytes: a power of two, default 1 MiB. */
    public static final ContextOption<Integer> RING_BYTES = ContextOption.ofInt("multiproc.shm.ringBytes", 1 << 20,
            ShmRingDescriptor.MIN_CAPACITY, 1 << 29);
    /** The directory for segments; default {@code /dev/shm} where it is writable, else the temporary directory. */
    public static final ContextOption<Path> DIRECTORY = ContextOption.ofPath("multiproc.shm.dir");
    /**
     * How long a channel's reader stays awake (spinning, yielding, parking) without work before it sleeps on its
     * doorbell, in microseconds; default 2000.
     */
    public static final ContextOption<Long> SLEEP_AFTER_MICROS = ContextOption.ofLong(
            "multiproc.shm.sleepAfterMicros", 2000, 0, 60_000_000);
    /** The longest park of a waiting reader or taker, in microseconds; default 4000. */
    public static final ContextOption<Long> MAX_PARK_MICROS = ContextOption.ofLong("multiproc.shm.maxParkMicros",
            ShmIdleStrategy.DEFAULT_MAX_PARK_MICROS, 1, 1_000_000);

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
        Path directory = ShmDirectory.directory(config.get(DIRECTORY));
        ShmDirectory.sweep(directory);
        return new ShmParentTransport(directory, ShmDirectory.prefixFor(config.contextId()), ringBytes(config),
                config.maxMessageSize(), Tuning.of(config));
    }

    static int ringBytes(TransportConfig config) {
        int bytes = config.get(RING_BYTES);
        try {
            ShmRingDescriptor.checkCapacity(bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(RING_BYTES.name() + "=" + bytes + " is not a valid ring size: give a"
                    + " power of two between " + ShmRingDescriptor.MIN_CAPACITY + " and 536870912 (" + e.getMessage()
                    + ")", e);
        }
        return bytes;
    }

    /**
     * A context's waiting settings, which its channels use: from the context's options in the parent, from the
     * system properties the parent set on a child's command line in the child.
     *
     * @param sleepAfterNanos how long a reader stays awake without work
     * @param maxParkNanos the longest park of a waiting reader
     */
    record Tuning(long sleepAfterNanos, long maxParkNanos) {
        static Tuning of(TransportConfig config) {
            return new Tuning(config.get(SLEEP_AFTER_MICROS) * 1000, config.get(MAX_PARK_MICROS) * 1000);
        }

        /**
         * In a child, or for a handle that travelled here: this JVM's values (in a child, its context's, set on its
         * command line), read once.
         */
        static Tuning ofThisProcess() {
            return ThisProcess.TUNING;
        }
    }

    /** Holds {@link Tuning#ofThisProcess()}, read when first needed. */
    private static final class ThisProcess {
        static final Tuning TUNING = new Tuning(SLEEP_AFTER_MICROS.fromSystemProperties() * 1000,
                MAX_PARK_MICROS.fromSystemProperties() * 1000);
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
        ShmChannel channel = new ShmChannel(out, in, endpoint.maxMessageSize(), "parent", () -> parentPid, null,
                Tuning.ofThisProcess());
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

    @Override
    public Optional<NativeBuffer> attachBuffer(String name) throws IOException {
        return Optional.of(ShmBuffer.attach(name));
    }
}
