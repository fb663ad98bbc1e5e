package dev.multiproc.internal.net;

import dev.multiproc.ChannelClosedException;
import dev.multiproc.Connection;
import dev.multiproc.ProtocolException;
import dev.multiproc.internal.handle.HubHandle;
import dev.multiproc.internal.handle.Watchable;
import dev.multiproc.spi.MessageHandler;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Connection} over an authenticated socket, made by a listener or a client. Each message is one frame
 * whose first byte is its kind ({@value #KIND_OBJECT}: an object in core's codec; {@value #KIND_BYTES}: raw bytes),
 * so that {@code recv} and {@code recvBytes} never take each other's messages. The reader thread keeps what arrives
 * in an inbox of at most {@value #INBOX_BYTES} bytes (or one message, if larger) and then stops reading, so a
 * sender that outruns the receiver is held back by the socket. Objects are decoded in the receiving thread, with
 * the codec's filter, never before the handshake.
 *
 * @param <T> the type of the objects sent
 */
public final class NetConnection<T> implements Connection<T>, Watchable {
    @Serial
    private static final long serialVersionUID = 1L;
    static final byte KIND_OBJECT = 1;
    static final byte KIND_BYTES = 2;
    private static final int INBOX_BYTES = 4 << 20;

    private final transient NetChannel channel;
    private final transient String name;
    private final transient int sendLimit;
    private final transient ReentrantLock lock = new ReentrantLock();
    private final transient Condition changed = lock.newCondition();
    /** Frames received and not yet taken, kind byte first; guarded by {@link #lock}. */
    private final transient ArrayDeque<byte[]> inbox = new ArrayDeque<>();
    private transient long inboxBytes;
    /** Guarded by {@link #lock}: the peer's end was seen (with its cause, null if orderly), or this end closed. */
    private transient boolean ended;
    private transient Throwable endCause;
    private transient boolean closedHere;
    private final transient CopyOnWriteArrayList<Runnable> watchers = new CopyOnWriteArrayList<>();

    /**
     * @param channel the authenticated channel, not yet started
     * @param name how messages name this connection, e.g. {@code "from 127.0.0.1:40312"}
     * @param sendLimit the largest message this side may send: the smaller of the two sides' limits
     */
    NetConnection(NetChannel channel, String name, int sendLimit) {
        this.channel = channel;
        this.name = name;
        this.sendLimit = sendLimit;
    }

    /** Starts reading; called once the connection is handed to its user. */
    void start() {
        channel.start(new MessageHandler() {
            @Override
            public void onMessage(ByteBuffer message) {
                arrived(message);
            }

            @Override
            public void onClose(Throwable cause) {
                closed(cause);
            }
        });
    }

    private void arrived(ByteBuffer message) {
        byte[] frame = new byte[message.remaining()];
        message.get(frame);
        lock.lock();
        try {
            while (inboxBytes > 0 && inboxBytes + frame.length > INBOX_BYTES && !closedHere) {
                changed.awaitUninterruptibly(); // back-pressure: the socket fills and the sender waits
            }
            if (closedHere) {
                return;
            }
            inbox.add(frame);
            inboxBytes += frame.length;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        fireWatchers();
    }

    private void closed(Throwable cause) {
        lock.lock();
        try {
            ended = true;
            endCause = cause;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        fireWatchers();
    }

    private void fireWatchers() {
        for (Runnable watcher : watchers) {
            watcher.run();
        }
    }

    @Override
    public void send(T object) {
        Objects.requireNonNull(object, "a connection message must not be null");
        byte[] bytes = HubHandle.codec().encode(object);
        sendFrame(KIND_OBJECT, bytes, 0, bytes.length);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T recv() throws InterruptedException {
        return (T) HubHandle.codec().decode(take(KIND_OBJECT));
    }

    @Override
    public void sendBytes(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        sendFrame(KIND_BYTES, bytes, offset, length);
    }

    @Override
    public byte[] recvBytes() throws InterruptedException {
        return take(KIND_BYTES);
    }

    private void sendFrame(byte kind, byte[] bytes, int offset, int length) {
        if (length > sendLimit) {
            throw new IllegalArgumentException("a message of " + length + " bytes (encoded) is over the maximum of "
                    + sendLimit + " bytes that " + this + " carries (the smaller of the two ends' maxMessageSize);"
                    + " nothing was sent. Send it in parts, or raise the limit on both ends");
        }
        if (closedHere) {
            throw new ChannelClosedException(this + " is closed");
        }
        ByteBuffer frame = ByteBuffer.allocate(1 + length).put(kind).put(bytes, offset, length).flip();
        try {
            channel.send(frame);
        } catch (IOException e) {
            throw new ChannelClosedException(this + " is closed: " + e.getMessage());
        }
    }

    private byte[] take(byte kind) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (inbox.isEmpty()) {
                throwIfEnded();
                changed.await();
            }
            byte[] frame = inbox.peek();
            if (frame[0] != kind) {
                if (frame[0] == KIND_OBJECT || frame[0] == KIND_BYTES) {
                    throw new IllegalStateException("the next message on " + this + " was sent with "
                            + (frame[0] == KIND_BYTES ? "sendBytes: take it with recvBytes()"
                                    : "send: take it with recv()"));
                }
                throw new ProtocolException("a message of unknown kind " + frame[0] + " on " + this);
            }
            inbox.poll();
            inboxBytes -= frame.length;
            changed.signalAll();
            return Arrays.copyOfRange(frame, 1, frame.length);
        } finally {
            lock.unlock();
        }
    }

    /** The caller holds the lock and found the inbox empty. */
    private void throwIfEnded() {
        if (closedHere) {
            throw new ChannelClosedException(this + " is closed");
        }
        if (ended) {
            if (endCause instanceof ProtocolException protocol) {
                throw new ProtocolException(this + " was closed: " + protocol.getMessage(), protocol);
            }
            throw new ChannelClosedException("the other end of " + this + " closed, and everything it sent has been"
                    + " received" + (endCause == null ? "" : " (" + endCause + ")"));
        }
    }

    @Override
    public boolean poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (!readyLocked()) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean readyLocked() {
        return !inbox.isEmpty() || ended || closedHere;
    }

    @Override
    public boolean isReady() {
        lock.lock();
        try {
            return readyLocked();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void watch(Runnable onChange) {
        watchers.add(onChange);
    }

    @Override
    public void unwatch(Runnable onChange) {
        watchers.remove(onChange);
    }

    @Override
    public boolean canSend() {
        return true;
    }

    @Override
    public boolean canReceive() {
        return true;
    }

    /** Closes the socket: the other end receives what was sent, then {@link ChannelClosedException}. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            closedHere = true;
            inbox.clear();
            inboxBytes = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        channel.close();
        fireWatchers();
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        throw new NotSerializableException(this + " cannot be passed to another process: it is a socket of this"
                + " process (made by Multiproc.connect or Listener.accept). Let the other process connect by itself"
                + " with Multiproc.connect(address, key), or pass it an end of a Pipe");
    }

    @Override
    public String toString() {
        return "Connection " + name;
    }
}
