package dev.multiproc.transport.hazelcast;

import dev.multiproc.spi.ChildEndpoint;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.TransportConfig;
import dev.multiproc.tck.MessageChannelContract;
import dev.multiproc.tck.TckTimeouts;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The tck's channel contract on the Hazelcast queues, both ends in this JVM: the parent's end on an embedded member,
 * the child's end on a Hazelcast client that joined it as a child does, with the hello and the key as a child has
 * them.
 */
class HazelcastMessageChannelTest extends MessageChannelContract {
    @Override
    protected ChannelPair connect(int parentMax, int childMax) throws Exception {
        HazelcastParentTransport transport = HazelcastParentTransport.open(
                new TransportConfig("channel-test-" + UUID.randomUUID().toString().substring(0, 8), parentMax));
        try {
            HazelcastParentTransport.LocalChild attachment = transport.prepare("c1");
            MessageChannel child = HazelcastChildChannel.connect(new ChildEndpoint(attachment.descriptor(), "c1",
                    childMax, attachment.secret(), InputStream.nullInputStream(), OutputStream.nullOutputStream()));
            MessageChannel parent = attachment.attach("child c1", () -> false)
                    .get(TckTimeouts.millis(30), TimeUnit.MILLISECONDS);
            return new ChannelPair(parent, child, transport::close);
        } catch (Exception | Error e) {
            transport.close();
            throw e;
        }
    }
}
