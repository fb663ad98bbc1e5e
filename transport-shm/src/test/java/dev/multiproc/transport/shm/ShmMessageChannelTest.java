package dev.multiproc.transport.shm;

import dev.multiproc.tck.MessageChannelContract;
import java.nio.file.Files;
import java.nio.file.Path;

/** The tck's channel contract on the shm rings, both ends in this JVM over one segment. */
class ShmMessageChannelTest extends MessageChannelContract {
    private static final int RING = 256 * 1024;

    @Override
    protected ChannelPair connect(int parentMax, int childMax) throws Exception {
        Path directory = Files.createTempDirectory("multiproc-channel-test");
        int length = ShmParentTransport.toParentRing(RING) + ShmRingDescriptor.ringLength(RING);
        ShmSegment segment = ShmSegment.create(directory.resolve("multiproc-test-ch"),
                ShmSegmentDescriptor.KIND_CHANNEL, length);
        ShmOneToOneRing.initialise(segment.buffer(), ShmParentTransport.toChildRing(), RING);
        ShmOneToOneRing.initialise(segment.buffer(), ShmParentTransport.toParentRing(RING), RING);
        segment.publish();
        ShmChannel parent = new ShmChannel(
                new ShmOneToOneRing(segment.buffer(), ShmParentTransport.toChildRing(), "down"),
                new ShmOneToOneRing(segment.buffer(), ShmParentTransport.toParentRing(RING), "up"), parentMax,
                "child", () -> 0, null, ShmTransport.Tuning.ofThisProcess());
        ShmChannel child = new ShmChannel(
                new ShmOneToOneRing(segment.buffer(), ShmParentTransport.toParentRing(RING), "up"),
                new ShmOneToOneRing(segment.buffer(), ShmParentTransport.toChildRing(), "down"), childMax,
                "parent", () -> 0, null, ShmTransport.Tuning.ofThisProcess());
        return new ChannelPair(parent, child, () -> {
            segment.delete();
            Files.deleteIfExists(directory);
        });
    }
}
