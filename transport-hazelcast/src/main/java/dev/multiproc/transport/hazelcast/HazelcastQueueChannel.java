package dev.multiproc.transport.hazelcast;

import com.hazelcast.collection.IQueue;
import dev.multiproc.spi.AbstractMessageChannel;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
    /** The sequence number of the next frame this end sends; guarded by {@link #sendLock}. */
    private long nextOut;
    /** Serializes this end's frames: messages, syncs and the answers to the peer's syncs. */
    private final Object sendLock = new Object();
    /** The one thread that offers this end's frames, in order; ends with the channel. */
    private final java.util.concurrent.ExecutorService writer;
    /** The sequence number of the last message this end sent, or -1; guarded by {@link #sendLock}. */
    private long lastMessageOut = -1;
    /** The highest sequence number of a sync of ours the peer answered, or -1; guarded by itself... */
    private final Object acks = new Object();
    /** ...this one: every frame before it has been handled by the peer. */
    private long acknowledged = -1;

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
        this.writer = java.util.concurrent.Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "multiproc-hazelcast-writer-" + peer);
            thread.setDaemon(true);
            return thread;
        });
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
                if (kind == HazelcastFrame.SYNC) {
                    // every frame before it was delivered, and deliveries are handled on this thread: answer
                    answerSync(HazelcastFrame.sequence(frame));
                    continue;
                }
                if (kind == HazelcastFrame.SYNC_ACK) {
                    synced(ByteBuffer.wrap(frame, HazelcastFrame.HEADER, Long.BYTES).getLong());
                    continue;
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

    /**
     * Sends one message's frame. {@link AbstractMessageChannel#send} calls it holding its own lock; this end's lock,
     * taken inside that one, also serializes the frames {@link #sync()} and the answers to the peer's syncs send.
     */
    @Override
    protected void write(ByteBuffer message) throws IOException {
        synchronized (sendLock) {
            lastMessageOut = nextOut;
            offer(HazelcastFrame.DATA, message);
        }
    }

    /**
     * Offers the next frame, waiting while the queue is full; call holding {@link #sendLock}. The offer runs on this
     * channel's writer thread and the caller waits for it without heeding interrupts: a Hazelcast call interrupted
     * half-way may still put its element, and a frame whose fate is unknown would break the sequence. An interrupt
     * that came meanwhile is kept for the caller's next blocking call, as a socket write does.
     */
    private void offer(byte kind, ByteBuffer payload) throws IOException {
        byte[] frame = HazelcastFrame.encode(key, outLabel, kind, nextOut, payload);
        try {
            CompletableFuture.runAsync(() -> offerWaiting(frame), writer).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof java.io.UncheckedIOException io) {
                throw io.getCause();
            }
            throw new IOException("cannot send to " + peer() + ": " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new IOException("the channel to " + peer() + " is closed", e);
        }
        nextOut++;
    }

    /** On the writer thread: offers, re-checking while the queue is full whether the channel or its peer ended. */
    private void offerWaiting(byte[] frame) {
        try {
            while (!out.offer(frame, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (isClosed()) {
                    throw new IOException("the channel to " + peer() + " is closed");
                }
                if (peerGone.getAsBoolean()) {
                    throw new IOException(peer() + " is gone; its queue is full");
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.UncheckedIOException(new InterruptedIOException("the channel to " + peer()
                    + " is closing"));
        } catch (RuntimeException e) {
            throw new java.io.UncheckedIOException(new IOException("cannot send to " + peer() + ": "
                    + e.getMessage(), e));
        }
    }

    /**
     * Waits until the peer has handled every message this end sent before the call (at once if it has answered a
     * sync sent after the last one). A shared object that lives in the cluster rather than with the parent calls it
     * before a write that others can see, so that they never see the write before this process's earlier messages
     * to the parent: a pipe message sent and then announced through a shared int is there when the int says so.
     *
     * @throws IOException if the channel closed first
     */
    void sync() throws IOException {
        long mine;
        synchronized (sendLock) {
            synchronized (acks) {
                if (lastMessageOut < 0 || lastMessageOut < acknowledged) {
                    return;
                }
            }
            mine = nextOut;
            offer(HazelcastFrame.SYNC, null);
        }
        synchronized (acks) {
            while (acknowledged < mine) {
                if (isClosed()) {
                    throw new IOException("the channel to " + peer() + " closed before it answered a sync");
                }
                try {
                    acks.wait(POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted waiting for " + peer() + " to answer a sync");
                }
            }
        }
    }

    private void answerSync(long sequence) throws IOException {
        synchronized (sendLock) {
            offer(HazelcastFrame.SYNC_ACK, ByteBuffer.allocate(Long.BYTES).putLong(0, sequence));
        }
    }

    private void synced(long sequence) {
        synchronized (acks) {
            acknowledged = Math.max(acknowledged, sequence);
            acks.notifyAll();
        }
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
            writer.shutdown();
            release.run();
        }
    }
}
