package dev.multiproc.internal.embedded;

import dev.multiproc.spi.AbstractMessageChannel;
import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One end of an in-memory channel pair: what one end writes, the other's reader thread delivers. Built on the SPI's
 * skeletal channel, like every transport's, so that its close and size rules are the real ones.
 */
final class EmbeddedChannel extends AbstractMessageChannel {
    /** Put into an inbox when the end that writes to it closes. */
    private static final byte[] END = new byte[0];

    private final LinkedBlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
    private EmbeddedChannel peer;

    private EmbeddedChannel(String peerName, int maxMessageSize) {
        super(peerName, maxMessageSize);
    }

    /**
     * @param maxMessageSize the largest message either end carries
     * @return the parent's end and the child's end, connected
     */
    static EmbeddedChannel[] pair(String childId, int maxMessageSize) {
        EmbeddedChannel parent = new EmbeddedChannel("embedded child " + childId, maxMessageSize);
        EmbeddedChannel child = new EmbeddedChannel("the parent", maxMessageSize);
        parent.peer = child;
        child.peer = parent;
        return new EmbeddedChannel[] {parent, child};
    }

    @Override
    protected void startDelivery() {
        startReaderThread("multiproc-embedded-reader-" + peer(), () -> {
            while (true) {
                byte[] message;
                try {
                    message = inbox.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (message == END) {
                    return;
                }
                deliver(ByteBuffer.wrap(message));
            }
        });
    }

    @Override
    protected void write(ByteBuffer message) {
        byte[] copy = new byte[message.remaining()];
        message.get(copy);
        peer.inbox.add(copy);
    }

    @Override
    protected void closeMedium() {
        peer.inbox.add(END); // the peer reads what came before, then sees the end
        inbox.add(END); // and this end's reader stops
    }
}
