package dev.multiproc.transport.shm;

import static dev.multiproc.transport.shm.ShmRingDescriptor.FLAG_BEGIN;
import static dev.multiproc.transport.shm.ShmRingDescriptor.FLAG_END;

import dev.multiproc.ProtocolException;
import dev.multiproc.spi.AbstractMessageChannel;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

/**
 * A message channel over two one-to-one rings of a channel segment: one this side produces into, one it consumes.
 * A message larger than a ring's record is split into fragments that the reader joins again; one that fits is handed
 * to the handler straight from shared memory, without a copy. A daemon thread reads, waiting with a
 * {@link ShmIdleStrategy}; senders are serialized by a lock and wait the same way while the ring is full.
 */
final class ShmChannel extends AbstractMessageChannel {
    /** How often, at most, a waiting side asks the kernel whether its peer still runs. */
    private static final long LIVENESS_CHECK_NANOS = 100_000_000L;
    private static final int READ_BATCH = 64;

    private final ShmOneToOneRing out;
    private final ShmOneToOneRing in;
    private final LongSupplier peerPid;
    private final Runnable release;
    private final ShmTransport.Tuning tuning;
    private volatile ShmDoorbell doorbell;
    private byte[] assembly = new byte[0];
    private int assembled = -1;

    /**
     * @param peerPid the peer's pid, or 0 while it is not known yet
     * @param release what to do once the channel is closed (the parent deletes the segment), or null
     * @param tuning how the reader and blocked senders wait
     */
    ShmChannel(ShmOneToOneRing out, ShmOneToOneRing in, int maxMessageSize, String peer,
            LongSupplier peerPid, Runnable release, ShmTransport.Tuning tuning) {
        super(peer, maxMessageSize);
        this.out = out;
        this.in = in;
        this.peerPid = peerPid;
        this.release = release;
        this.tuning = tuning;
    }

    /**
     * Gives the channel its doorbell (the parent's side gets it when the child connects to it). Until then readers
     * only park, with a bounded back-off.
     */
    void attachDoorbell(ShmDoorbell bell) {
        doorbell = bell;
        if (isClosed()) {
            bell.close();
            return;
        }
        // A peer reader may have gone to sleep on its own end of this bell before we had ours, with a record of
        // ours already waiting that nobody could ring for: look, now that the bell is set (Dekker again).
        wakeReader();
    }

    @Override
    protected void startDelivery() {
        startReaderThread("multiproc-shm-reader-" + peer(), this::readLoop);
    }

    @Override
    protected void write(ByteBuffer message) throws IOException {
        int length = message.remaining();
        int position = message.position();
        int fragment = out.maxPayload();
        if (length <= fragment) {
            offer(message, position, length, FLAG_BEGIN | FLAG_END);
        } else {
            for (int done = 0; done < length; done += fragment) {
                int n = Math.min(fragment, length - done);
                int type = (done == 0 ? FLAG_BEGIN : 0) | (done + n == length ? FLAG_END : 0);
                offer(message, position + done, n, type);
            }
        }
        message.position(message.limit());
    }

    private void offer(ByteBuffer message, int index, int length, int type) throws IOException {
        ShmIdleStrategy idle = null;
        long nextCheck = 0;
        while (!out.offer(message, index, length, type)) {
            wakeReader(); // a reader that sleeps while the ring is full would never free it
            if (idle == null) {
                idle = new ShmIdleStrategy(tuning.maxParkNanos());
                nextCheck = System.nanoTime() + LIVENESS_CHECK_NANOS;
            }
            if (isClosed()) {
                throw new IOException("channel to " + peer() + " is closed");
            }
            if (out.isConsumerClosed()) {
                throw new IOException("channel to " + peer() + " is closed: the peer stopped reading");
            }
            if (idle.isParking() && System.nanoTime() - nextCheck > 0) {
                nextCheck = System.nanoTime() + LIVENESS_CHECK_NANOS;
                String dead = deadPeer();
                if (dead != null) {
                    throw new IOException("cannot send to " + peer() + ": " + dead + " while its ring was full");
                }
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted while " + out.name() + " was full");
            }
            idle.idle();
        }
        wakeReader();
    }

    private void wakeReader() {
        ShmDoorbell bell = doorbell;
        if (bell != null && out.consumerNeedsWaking()) {
            bell.ring();
        }
    }

    /** @return why the peer is gone, or null if it runs (or is not known yet) */
    private String deadPeer() {
        long pid = peerPid.getAsLong();
        if (pid != 0 && !ShmDirectory.running(pid)) {
            return "its process (pid " + pid + ") has exited";
        }
        return null;
    }

    @Override
    protected void closeMedium() {
        out.closeProducer();
        in.closeConsumer();
        ShmDoorbell bell = doorbell;
        if (bell != null) {
            bell.close(); // wakes our own sleeping reader, and the peer's, which then sees the closed ring
        }
        if (release != null) {
            release.run();
        }
    }

    private void readLoop() throws IOException {
        ShmIdleStrategy idle = new ShmIdleStrategy(tuning.maxParkNanos());
        long idleSince = 0;
        long nextCheck = System.nanoTime() + LIVENESS_CHECK_NANOS;
        while (!isClosed()) {
            boolean producerClosed = in.isProducerClosed();
            if (in.read(this::onRecord, READ_BATCH) > 0) {
                idle.reset();
                idleSince = 0;
                continue;
            }
            if (producerClosed) {
                break; // closed and drained: everything sent before the close was delivered
            }
            long now = System.nanoTime();
            if (idleSince == 0) {
                idleSince = now;
            }
            ShmDoorbell bell = doorbell;
            if (bell != null && now - idleSince > tuning.sleepAfterNanos()) {
                in.announceSleep();
                if (in.hasRecord() || in.isProducerClosed()) {
                    in.cancelSleep();
                    continue;
                }
                boolean open = bell.await();
                in.cancelSleep();
                idle.reset();
                idleSince = 0;
                if (!open && !isClosed()) {
                    in.read(this::onRecord, Integer.MAX_VALUE); // what the peer sent before it went away
                    if (!in.isProducerClosed()) {
                        String dead = deadPeer();
                        throw new IOException("channel to " + peer() + " broke: "
                                + (dead != null ? dead : "its doorbell socket closed without a close of the ring"));
                    }
                }
                continue;
            }
            if (bell == null && idle.isParking() && now - nextCheck > 0) {
                nextCheck = now + LIVENESS_CHECK_NANOS;
                String dead = deadPeer();
                if (dead != null && in.read(this::onRecord, Integer.MAX_VALUE) == 0) {
                    throw new IOException("channel to " + peer() + " broke: " + dead);
                }
            }
            idle.idle();
        }
    }

    private void onRecord(ByteBuffer data, int index, int length, int type) {
        if (type == (FLAG_BEGIN | FLAG_END)) {
            if (assembled >= 0) {
                throw new ProtocolException(in.name() + " is corrupt: a whole message inside a fragmented one");
            }
            checkFrameLength(length);
            deliver(data.slice(index, length));
            return;
        }
        if ((type & FLAG_BEGIN) != 0) {
            if (assembled >= 0) {
                throw new ProtocolException(in.name() + " is corrupt: a message began inside another");
            }
            assembled = 0;
        } else if (assembled < 0) {
            throw new ProtocolException(in.name() + " is corrupt: a fragment without its beginning");
        }
        if ((long) assembled + length > maxMessageSize()) {
            throw new ProtocolException("a message from " + peer() + " grows past the maximum of " + maxMessageSize()
                    + " bytes; closing the channel");
        }
        if (assembly.length < assembled + length) {
            byte[] larger = new byte[Math.max(assembled + length, Math.min(maxMessageSize(), assembly.length * 2))];
            System.arraycopy(assembly, 0, larger, 0, assembled);
            assembly = larger;
        }
        data.get(index, assembly, assembled, length);
        assembled += length;
        if ((type & FLAG_END) != 0) {
            int size = assembled;
            assembled = -1;
            deliver(ByteBuffer.wrap(assembly, 0, size));
            if (assembly.length > (4 << 20)) {
                assembly = new byte[0]; // do not keep a huge buffer for small traffic
            }
        }
    }
}
