package dev.multiproc.transport.hazelcast;

import com.hazelcast.collection.IQueue;
import dev.multiproc.spi.AbstractMessageChannel;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One end of a parent⇄child channel: it takes frames from one bounded {@code IQueue} and offers them to another.
 * The queues keep order (one sender per direction: sends are serialized) and give back-pressure (a full queue makes
 * the sender wait); every frame is authenticated ({@link HazelcastFrame}).
 */
final class HazelcastQueueChannel extends AbstractMessageChannel {
    /** How long a blocked read or write waits before it looks again whether the channel or its peer ended. */
    private static final long POLL_MILLIS = 100;
    private static final int BATCH = 256;

    private final IQueue<byte[]> in;
    private final IQueue<byte[]> out;
    private final byte[] key;
    private final byte[] inLabel;
    private final byte[] outLabel;
    private final BooleanSupplier peerGone;
    private final Runnable release;
    private long nextIn;
    private long nextOut;

    /**
     * @param firstIn the sequence number of the first frame to read (1 after a hello the caller has read)
     * @param firstOut the sequence number of the first frame to send
     * @param peerGone true once the peer cannot send any more (its process exited, or the cluster connection broke):
     *        the channel then ends when the queue is empty
     * @param release releases the medium after the close frame was offered (a client's shutdown, say)
     */
    HazelcastQueueChannel(String peer, int maxMessageSize, IQueue<byte[]> in, IQueue<byte[]> out, byte[] key,
            byte[] inLabel, byte[] outLabel, long firstIn, long firstOut, BooleanSupplier peerGone, Runnable release) {
        super(peer, maxMessageSize);
        this.in = in;
        this.out = out;
        this.key = key;
        this.inLabel = inLabel;
        this.outLabel = outLabel;
        this.nextIn = firstIn;
        this.nextOut = firstOut;
        this.peerGone = peerGone;
        this.release = release;
    }

    @Override
    protected void startDelivery() {
        startReaderThread("multiproc-hazelcast-reader-" + peer(), this::readUntilEnd);
    }

    private void readUntilEnd() throws IOException {
        List<byte[]> batch = new ArrayList<>(BATCH);
        while (!isClosed()) {
            byte[] first;
            try {
                first = in.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted reading from " + peer());
            }
            if (first == null) {
                if (peerGone.getAsBoolean() && in.isEmpty()) {
                    return;
                }
                continue;
            }
            batch.add(first);
            in.drainTo(batch, BATCH - 1);
            for (byte[] frame : batch) {
                byte kind = HazelcastFrame.verify(key, inLabel, frame, nextIn++, peer());
                if (kind == HazelcastFrame.CLOSE) {
                    return;
                }
                if (kind != HazelcastFrame.DATA) {
                    throw new java.net.ProtocolException("unexpected frame kind " + kind + " from " + peer());
                }
                int length = HazelcastFrame.payloadLength(frame);
                checkFrameLength(length);
                deliver(ByteBuffer.wrap(frame, HazelcastFrame.HEADER, length));
            }
            batch.clear();
        }
    }

    @Override
    protected void write(ByteBuffer message) throws IOException {
        byte[] frame = HazelcastFrame.encode(key, outLabel, HazelcastFrame.DATA, nextOut, message);
        try {
            while (!out.offer(frame, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (isClosed()) {
                    throw new IOException("the channel to " + peer() + " is closed");
                }
                if (peerGone.getAsBoolean()) {
                    throw new IOException(peer() + " is gone; its queue is full");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted sending to " + peer());
        } catch (RuntimeException e) {
            throw new IOException("cannot send to " + peer() + ": " + e.getMessage(), e);
        }
        nextOut++;
    }

    @Override
    protected void closeMedium() {
        try {
            // Best effort: tell the peer now rather than when it notices our process is gone. Never wait: the queue
            // may be full of frames nobody reads.
            out.offer(HazelcastFrame.encode(key, outLabel, HazelcastFrame.CLOSE, nextOut, null));
        } catch (RuntimeException e) {
            // the cluster connection is gone already: the peer sees that instead
        } finally {
            release.run();
        }
    }
}
