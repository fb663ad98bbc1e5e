package dev.multiproc.transport.shm;

import static dev.multiproc.transport.shm.ShmRingDescriptor.FLAG_BEGIN;
import static dev.multiproc.transport.shm.ShmRingDescriptor.FLAG_END;
import static dev.multiproc.transport.shm.ShmRingDescriptor.KIND_SHIFT;

import dev.multiproc.ChannelClosedException;
import dev.multiproc.spi.NativeConnection;
import java.io.Serial;
import java.nio.ByteBuffer;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One end of a shm pipe: it produces into one one-to-one ring of a pipe segment and consumes from the other (a
 * one-way pipe has one ring). Because an end may be passed to other processes and used by several threads, every
 * send holds the end's send lock and every receive its receive lock (both {@link ShmSharedLock}s, so a holder that
 * dies does not block the end forever), and each operation starts from the positions in shared memory rather than
 * from this object's view. A message larger than a quarter of the ring travels in fragments, under one hold of the
 * lock; a message of one record is copied once into the ring and once out of it.
 */
final class ShmPipeEnd implements NativeConnection {
    @Serial
    private static final long serialVersionUID = 1L;
    /** How often, at most, a sender waiting on a full ring asks whether the receiving process still runs. */
    private static final long LIVENESS_CHECK_NANOS = 100_000_000L;
    private static final long PID = ProcessHandle.current().pid();

    private final String path;
    private final String name;
    private final int receiveRing;
    private final int sendRing;
    private final ShmSharedLock receiveLock;
    private final ShmSharedLock sendLock;
    private transient volatile ShmSegment segment;
    private transient ShmOneToOneRing receiver;
    private transient ShmOneToOneRing sender;

    /**
     * @param receiveRing the offset of the ring this end receives from, or -1
     * @param sendRing the offset of the ring this end sends into, or -1
     */
    ShmPipeEnd(String path, String name, int receiveRing, ShmSharedLock receiveLock, int sendRing,
            ShmSharedLock sendLock) {
        this.path = path;
        this.name = name;
        this.receiveRing = receiveRing;
        this.receiveLock = receiveLock;
        this.sendRing = sendRing;
        this.sendLock = sendLock;
    }

    private ShmSegment segment() {
        ShmSegment mapped = segment;
        if (mapped == null) {
            mapped = ShmMappings.get(Paths.get(path), ShmSegmentDescriptor.KIND_PIPE);
            segment = mapped;
        }
        mapped.checkLive();
        return mapped;
    }

    /** The caller holds the send lock. */
    private ShmOneToOneRing sender() {
        ShmSegment segment = segment();
        if (sender == null) {
            sender = new ShmOneToOneRing(segment.buffer(), sendRing, "pipe " + name);
        }
        sender.refreshProducer();
        return sender;
    }

    /** The caller holds the receive lock. */
    private ShmOneToOneRing receiver() {
        ShmSegment segment = segment();
        if (receiver == null) {
            receiver = new ShmOneToOneRing(segment.buffer(), receiveRing, "pipe " + name);
        }
        receiver.refreshConsumer();
        return receiver;
    }

    @Override
    public void send(int kind, byte[] bytes, int offset, int length) {
        if (sendRing < 0) {
            throw new UnsupportedOperationException(this + " is the receiving end of a one-way pipe");
        }
        sendLock.lock();
        try {
            ShmOneToOneRing ring = sender();
            checkSendable(ring);
            ByteBuffer source = ByteBuffer.wrap(bytes);
            int fragment = ring.maxPayload();
            int done = 0;
            do {
                int n = Math.min(fragment, length - done);
                int type = (done == 0 ? FLAG_BEGIN : 0) | (done + n == length ? FLAG_END : 0) | kind << KIND_SHIFT;
                offer(ring, source, offset + done, n, type);
                done += n;
            } while (done < length);
        } finally {
            sendLock.unlock();
        }
    }

    private void checkSendable(ShmOneToOneRing ring) {
        if (ring.isProducerClosed()) {
            throw new ChannelClosedException(this + " is closed");
        }
        if (ring.isConsumerClosed()) {
            throw new ChannelClosedException("the other end of " + this + " is closed");
        }
    }

    private void offer(ShmOneToOneRing ring, ByteBuffer source, int index, int length, int type) {
        ShmIdleStrategy idle = null;
        long nextCheck = 0;
        boolean interrupted = false;
        while (!ring.offer(source, index, length, type)) {
            if (idle == null) {
                idle = new ShmIdleStrategy();
                nextCheck = System.nanoTime() + LIVENESS_CHECK_NANOS;
            }
            checkSendable(ring);
            if (idle.isParking() && System.nanoTime() - nextCheck > 0) {
                nextCheck = System.nanoTime() + LIVENESS_CHECK_NANOS;
                long reader = ring.consumerPid();
                if (reader != 0 && !ShmDirectory.running(reader)) {
                    throw new ChannelClosedException("cannot send on " + this + ": the pipe is full and the process"
                            + " that last received from it (pid " + reader + ") has exited");
                }
            }
            interrupted |= Thread.interrupted();
            idle.idle();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public byte[] receive(int kind, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = deadline(timeout, unit);
        if (!lockReceive(deadline)) {
            return null;
        }
        try {
            ShmOneToOneRing ring = receiver();
            if (ring.consumerPid() != PID) {
                ring.setConsumerPid(PID); // written only on a change: the line is read by every send
            }
            int type = awaitRecord(ring, deadline);
            if (type < 0) {
                return null;
            }
            int found = type >>> KIND_SHIFT;
            if (found != kind) {
                throw new IllegalStateException("the next message on " + this + " was sent with "
                        + (found == 2 ? "sendBytes: take it with recvBytes()" : "send: take it with recv()"));
            }
            return take(ring);
        } finally {
            receiveLock.unlock();
        }
    }

    @Override
    public boolean poll(long timeout, TimeUnit unit) throws InterruptedException {
        if (receiveRing < 0) {
            throw new UnsupportedOperationException(this + " is the sending end of a one-way pipe");
        }
        long deadline = deadline(timeout, unit);
        if (!lockReceive(deadline)) {
            return false;
        }
        try {
            return awaitRecord(receiver(), deadline) >= 0 || receiver.isProducerClosed();
        } catch (ChannelClosedException e) {
            return true; // a receive would not block: it would throw
        } finally {
            receiveLock.unlock();
        }
    }

    private static long deadline(long timeout, TimeUnit unit) {
        long nanos = unit.toNanos(timeout);
        return nanos >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE : System.nanoTime() + Math.max(0, nanos);
    }

    private boolean lockReceive(long deadline) throws InterruptedException {
        if (receiveRing < 0) {
            throw new UnsupportedOperationException(this + " is the sending end of a one-way pipe");
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (deadline == Long.MAX_VALUE) {
            receiveLock.lockInterruptibly();
            return true;
        }
        return receiveLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /**
     * Waits for the next record.
     *
     * @return its type, or -1 if the deadline passed
     * @throws ChannelClosedException if the ring is closed and drained, or this end is closed
     */
    private int awaitRecord(ShmOneToOneRing ring, long deadline) throws InterruptedException {
        ShmIdleStrategy idle = null;
        while (true) {
            if (ring.isConsumerClosed()) {
                throw new ChannelClosedException(this + " is closed");
            }
            boolean closed = ring.isProducerClosed();
            int type = ring.peekType();
            if (type >= 0) {
                return type;
            }
            if (closed) {
                throw new ChannelClosedException("the other end of " + this + " closed, and everything it sent has"
                        + " been received");
            }
            if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0) {
                return -1;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (idle == null) {
                idle = new ShmIdleStrategy();
            }
            idle.idle();
        }
    }

    /** Takes one whole message, waiting for its later fragments (the sender is writing them now). */
    private byte[] take(ShmOneToOneRing ring) {
        Assembly assembly = new Assembly();
        ShmIdleStrategy idle = null;
        while (!assembly.complete) {
            if (ring.read(assembly, 1) > 0) {
                continue;
            }
            if (ring.isProducerClosed() && ring.peekType() < 0) {
                throw new ChannelClosedException("the other end of " + this + " closed in the middle of a message");
            }
            if (idle == null) {
                idle = new ShmIdleStrategy();
            }
            idle.idle();
        }
        return assembly.message.length == assembly.size ? assembly.message
                : Arrays.copyOf(assembly.message, assembly.size);
    }

    /** Joins a message's fragments; a message of one record is copied once, into an array of its size. */
    private static final class Assembly implements ShmOneToOneRing.RecordHandler {
        byte[] message;
        int size;
        boolean complete;

        @Override
        public void onRecord(ByteBuffer data, int index, int length, int type) {
            if (message == null) {
                message = new byte[(type & FLAG_END) != 0 ? length : Math.max(length * 4, 1 << 16)];
            } else if (message.length < size + length) {
                message = Arrays.copyOf(message, Math.max(size + length, message.length * 2));
            }
            data.get(index, message, size, length);
            size += length;
            complete = (type & FLAG_END) != 0;
        }
    }

    @Override
    public boolean canSend() {
        return sendRing >= 0;
    }

    @Override
    public boolean canReceive() {
        return receiveRing >= 0;
    }

    @Override
    public void close() {
        ShmSegment mapped;
        try {
            mapped = segment();
        } catch (IllegalStateException e) {
            return; // the context has closed: so has the pipe
        }
        if (sendRing >= 0) {
            new ShmOneToOneRing(mapped.buffer(), sendRing, "pipe " + name).closeProducer();
        }
        if (receiveRing >= 0) {
            new ShmOneToOneRing(mapped.buffer(), receiveRing, "pipe " + name).closeConsumer();
        }
    }

    @Override
    public String toString() {
        return "shm pipe end " + name;
    }
}
