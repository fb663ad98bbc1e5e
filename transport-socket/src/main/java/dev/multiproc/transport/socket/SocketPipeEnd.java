package dev.multiproc.transport.socket;

import dev.multiproc.ChannelClosedException;
import dev.multiproc.ProtocolException;
import dev.multiproc.spi.NativeConnection;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serial;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One end of a socket-transport pipe, in any process of the context. The first use of an end in a process opens
 * one connection to the parent, authenticated with the context's key like a child's channel, which the parent's
 * {@link SocketPipeRelay} joins to the other end's: a send is one frame written to a socket (no round trip), and
 * a receive takes what the connection's reader thread has already read, and acknowledges it, so that the relay
 * forgets it. Copies of an end in one process share its connection. The connection dies with its process, which
 * lets go of the end without closing it: what was sent to it and not yet received goes to the next process that
 * uses it. A poll, or a receive with a timeout, that finds nothing here first makes sure it is not too early: it
 * waits until the relay has taken every message this process sent on any pipe, then until the relay has written
 * everything it forwarded to this end so far (a {@code SYNC} round trip on each); a child sends nothing to its
 * parent before the same {@link #fence()}, so a message it sent before it said so is seen by any poll after; and
 * the parent's own ends count what they write, which the relay waits to have read before it answers a sync.
 */
final class SocketPipeEnd implements NativeConnection {
    @Serial
    private static final long serialVersionUID = 1L;

    /** How the processes of a context reach its parent: by the parent's address, as spawned children know it. */
    @SuppressWarnings("ArrayRecordComponent") // never compared; the key is raw bytes
    record Parent(String host, int port, byte[] key) {
    }

    /** Parents this process can reach: the parent itself registers under its own address. */
    private static final Map<String, Parent> PARENTS = new ConcurrentHashMap<>();
    /** This process's own parent, if it is a child or a remote worker: pipes of its context go there. */
    private static volatile Parent ownParent;
    /** The connected ends of this process, by pipe id and side. */
    private static final Map<String, Connected> CONNECTED = new ConcurrentHashMap<>();
    /**
     * For the ends this process holds of pipes whose relay runs here too (the parent's own ends), by pipe id and
     * side: how many messages the end's current connection has written. The relay defers a receiver's sync until it
     * has read as many (see {@link SocketPipeRelay}), so that a message the parent sent before it told a child
     * (through a queue, an event, any hub object) is there for the child's poll.
     */
    private static final Map<String, AtomicLong> LOCAL_SENT = new ConcurrentHashMap<>();

    /** @return how many messages this process's connection for the end has written, or -1 if it holds none */
    static long localSent(String pipeId, int side) {
        AtomicLong sent = LOCAL_SENT.get(pipeId + "/" + side);
        return sent == null ? -1 : sent.get();
    }

    private final String parentAddress;
    private final String pipeId;
    private final int side;
    private final boolean canSend;
    private final boolean canReceive;
    private final int maxMessageSize;
    private final String name;

    SocketPipeEnd(String parentAddress, String pipeId, int side, boolean canSend, boolean canReceive,
            int maxMessageSize, String name) {
        this.parentAddress = parentAddress;
        this.pipeId = pipeId;
        this.side = side;
        this.canSend = canSend;
        this.canReceive = canReceive;
        this.maxMessageSize = maxMessageSize;
        this.name = name;
    }

    /** The parent registers itself, so that its own ends connect to it. */
    static void registerParent(String address, Parent parent) {
        PARENTS.put(address, parent);
    }

    /** The parent is closing: its ends in this process close, and it is forgotten. */
    static void forgetParent(String address) {
        PARENTS.remove(address);
        CONNECTED.values().removeIf(connected -> {
            if (connected.address.equals(address)) {
                connected.shut();
                return true;
            }
            return false;
        });
    }

    /**
     * Waits until the parent has taken every pipe message this process sent so far (one round trip on each end
     * that sent since its last sync; nothing when none did). Called before a child talks to its parent, so that
     * what it sent on a pipe before is there for whoever learns of it from the parent.
     */
    static void fence() {
        if (CONNECTED.isEmpty()) {
            return;
        }
        for (Connected connected : CONNECTED.values()) {
            if (connected.unsynced) {
                connected.sync();
            }
        }
    }

    /** A child or remote worker records how it reached its parent. */
    static void registerOwnParent(Parent parent) {
        ownParent = parent;
    }

    private Connected connected() {
        String key = pipeId + "/" + side;
        Connected existing = CONNECTED.get(key);
        if (existing != null) {
            return existing;
        }
        synchronized (CONNECTED) {
            existing = CONNECTED.get(key);
            if (existing != null) {
                return existing;
            }
            Parent parent = PARENTS.get(parentAddress);
            String address = parentAddress;
            boolean local = parent != null; // this process runs the pipe's relay
            if (parent == null) {
                parent = ownParent;
            }
            if (parent == null) {
                throw new IllegalStateException(this + " is used in a process that is not part of its context (no"
                        + " key to reach the parent at " + parentAddress + "): pass pipe ends only to processes of the"
                        + " context that made the pipe");
            }
            Connected made = new Connected(address, this.toString(), parent, SocketHandshake.PIPE_PREFIX + pipeId
                    + "/" + side, local ? key : null);
            CONNECTED.put(key, made);
            return made;
        }
    }

    @Override
    public void send(int kind, byte[] bytes, int offset, int length) {
        if (!canSend) {
            throw new UnsupportedOperationException(this + " is the receiving end of a one-way pipe");
        }
        if (length > maxMessageSize - 2) {
            throw new IllegalArgumentException("a message of " + length + " bytes exceeds the maximum of "
                    + (maxMessageSize - 2) + " bytes on a pipe (raise it with -Dmultiproc.maxMessageSize)");
        }
        connected().send(kind, bytes, offset, length);
    }

    @Override
    public byte[] receive(int kind, long timeout, TimeUnit unit) throws InterruptedException {
        if (!canReceive) {
            throw new UnsupportedOperationException(this + " is the sending end of a one-way pipe");
        }
        return connected().receive(kind, deadline(timeout, unit));
    }

    @Override
    public boolean poll(long timeout, TimeUnit unit) throws InterruptedException {
        if (!canReceive) {
            throw new UnsupportedOperationException(this + " is the sending end of a one-way pipe");
        }
        return connected().poll(deadline(timeout, unit));
    }

    private static long deadline(long timeout, TimeUnit unit) {
        long nanos = unit.toNanos(timeout);
        return nanos >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE : System.nanoTime() + Math.max(0, nanos);
    }

    @Override
    public boolean canSend() {
        return canSend;
    }

    @Override
    public boolean canReceive() {
        return canReceive;
    }

    @Override
    public void close() {
        try {
            connected().closeEnd();
        } catch (IllegalStateException e) {
            // no parent to tell: the context is gone, and the pipe with it
        }
    }

    @Override
    public String toString() {
        return "socket pipe end " + name;
    }

    /** This process's connection for one end: a socket, a reader thread, and what it has read. */
    private static final class Connected {
        /** How long a sync waits for the relay's echo before it gives up (the relay is then stuck or gone). */
        private static final long SYNC_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
        private final String address;
        private final String what;
        private final Socket socket;
        private final DataOutputStream out;
        private final ArrayDeque<byte[]> inbox = new ArrayDeque<>();
        private boolean peerClosed;
        private boolean selfClosed;
        /** The connection is gone (read end-of-stream or failed): no SYNC will be answered. */
        private boolean gone;
        private String broken;
        /** The last SYNC token issued, and the last the relay echoed (guarded by this). */
        private long syncToken;
        private long synced;
        /** Set by a send, cleared by a sync: a {@link #fence()} only syncs ends that sent since. */
        private volatile boolean unsynced;

        /** Counts this connection's messages, when the relay runs in this process; else null. */
        private final AtomicLong sentHere;
        private final String localKey;

        Connected(String address, String what, Parent parent, String id, String localKey) {
            this.address = address;
            this.what = what;
            this.localKey = localKey;
            this.sentHere = localKey == null ? null : new AtomicLong();
            if (localKey != null) {
                LOCAL_SENT.put(localKey, sentHere); // before the attach: the relay must never see it missing
            }
            Socket made = new Socket();
            try {
                made.setTcpNoDelay(true);
                made.connect(new InetSocketAddress(parent.host(), parent.port()), 10_000);
                DataInputStream in = new DataInputStream(new BufferedInputStream(made.getInputStream(), 1 << 16));
                out = new DataOutputStream(new BufferedOutputStream(made.getOutputStream(), 1 << 16));
                SocketChildChannel.authenticate(in, out, parent.key(), id);
                int length = in.readInt();
                int status = length == 4 ? in.readInt() : -1;
                if (status == SocketPipeRelay.END_CLOSED) {
                    throw new ChannelClosedException(what + " is closed");
                }
                if (status != SocketPipeRelay.ATTACHED) {
                    throw new IllegalStateException("the parent refused " + what + ": it "
                            + (status < 0 ? "answered with a malformed reply" : SocketPipeRelay.refusal(status)));
                }
                socket = made;
                Thread reader = new Thread(() -> readLoop(in), "multiproc-socket-pipe-" + id);
                reader.setDaemon(true);
                reader.start();
            } catch (RuntimeException e) {
                forgetLocal();
                closeQuietly(made);
                throw e;
            } catch (EOFException e) {
                forgetLocal();
                closeQuietly(made);
                throw new IllegalStateException("the parent refused " + what + " (closed, or used by another"
                        + " process; see the parent's log)", e);
            } catch (IOException e) {
                forgetLocal();
                closeQuietly(made);
                throw new ChannelClosedException("cannot reach the parent for " + what + ": " + e.getMessage());
            }
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // failing already
            }
        }

        private void readLoop(DataInputStream in) {
            try {
                while (true) {
                    int length = in.readInt();
                    if (length < 1) {
                        throw new ProtocolException("empty pipe frame");
                    }
                    byte op = in.readByte();
                    if (op == SocketPipeRelay.CLOSE) {
                        synchronized (this) {
                            peerClosed = true;
                            notifyAll();
                        }
                        continue; // the connection stays, for SYNC replies
                    }
                    if (op == SocketPipeRelay.SYNC) {
                        long token = in.readLong();
                        synchronized (this) {
                            synced = Math.max(synced, token);
                            notifyAll();
                        }
                        continue;
                    }
                    byte[] message = new byte[length - 1];
                    in.readFully(message);
                    synchronized (this) {
                        inbox.add(message);
                        notifyAll();
                    }
                }
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    if (!selfClosed && !peerClosed) {
                        broken = "the connection to the parent broke (" + e + ")";
                    }
                }
            }
            synchronized (this) {
                peerClosed = true;
                gone = true;
                notifyAll();
            }
        }

        /**
         * Asks the relay to echo a token on this connection and waits for it (at most {@link #SYNC_WAIT_NANOS}):
         * then the relay has read every frame this end sent before, and this end has read every frame the relay
         * forwarded to it before. An interrupt ends the wait early and stays set.
         */
        void sync() {
            long token;
            synchronized (out) {
                synchronized (this) {
                    if (selfClosed || gone) {
                        return;
                    }
                    token = ++syncToken;
                }
                unsynced = false;
                try {
                    out.writeInt(9);
                    out.writeByte(SocketPipeRelay.SYNC);
                    out.writeLong(token);
                    out.flush();
                } catch (IOException e) {
                    return; // the reader will see the connection go
                }
            }
            long until = System.nanoTime() + SYNC_WAIT_NANOS;
            synchronized (this) {
                try {
                    while (synced < token && !gone && !selfClosed) {
                        long left = until - System.nanoTime();
                        if (left <= 0) {
                            return;
                        }
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Before a wait that may be short: nothing here yet, so make sure nothing sent before is on its way. */
        private void syncIfEmpty(long deadline) {
            if (deadline == Long.MAX_VALUE) {
                return; // it waits for the next message anyway
            }
            synchronized (this) {
                if (!inbox.isEmpty() || peerClosed || selfClosed) {
                    return;
                }
            }
            fence();
            sync();
        }

        /** Tells the relay that a receive returned a message, so that it is not given to anyone again. */
        private void acknowledge() {
            synchronized (out) {
                try {
                    out.writeInt(5);
                    out.writeByte(SocketPipeRelay.ACK);
                    out.writeInt(1);
                    out.flush();
                } catch (IOException e) {
                    // the connection is gone, with the relay's copy: the parent is closing the pipe
                }
            }
        }

        void send(int kind, byte[] bytes, int offset, int length) {
            synchronized (out) {
                synchronized (this) {
                    if (selfClosed) {
                        throw new ChannelClosedException(what + " is closed");
                    }
                    if (peerClosed) {
                        throw new ChannelClosedException("the other end of " + what + " is closed"
                                + (broken == null ? "" : ": " + broken));
                    }
                }
                try {
                    out.writeInt(2 + length);
                    out.writeByte(SocketPipeRelay.MESSAGE);
                    out.writeByte(kind);
                    out.write(bytes, offset, length);
                    out.flush();
                    unsynced = true;
                    if (sentHere != null) {
                        sentHere.incrementAndGet();
                    }
                } catch (IOException e) {
                    throw new ChannelClosedException("cannot send on " + what + ": " + e.getMessage());
                }
            }
        }

        byte[] receive(int kind, long deadline) throws InterruptedException {
            syncIfEmpty(deadline);
            byte[] message = take(kind, deadline);
            if (message != null) {
                acknowledge();
            }
            return message;
        }

        private synchronized byte[] take(int kind, long deadline) throws InterruptedException {
            while (true) {
                if (selfClosed) {
                    throw new ChannelClosedException(what + " is closed");
                }
                byte[] head = inbox.peek();
                if (head != null) {
                    int found = head[0] & 0xff;
                    if (found != kind) {
                        throw new IllegalStateException("the next message on " + what + " was sent with "
                                + (found == 2 ? "sendBytes: take it with recvBytes()" : "send: take it with recv()"));
                    }
                    inbox.poll();
                    return java.util.Arrays.copyOfRange(head, 1, head.length);
                }
                if (peerClosed) {
                    throw new ChannelClosedException("the other end of " + what + " closed, and everything it sent"
                            + " has been received" + (broken == null ? "" : " (" + broken + ")"));
                }
                if (!await(deadline)) {
                    return null;
                }
            }
        }

        boolean poll(long deadline) throws InterruptedException {
            syncIfEmpty(deadline);
            return awaitAny(deadline);
        }

        private synchronized boolean awaitAny(long deadline) throws InterruptedException {
            while (inbox.isEmpty() && !peerClosed && !selfClosed) {
                if (!await(deadline)) {
                    return false;
                }
            }
            return true;
        }

        /** @return false once the deadline has passed; its callers loop on their condition */
        @SuppressWarnings("WaitNotInLoop")
        private boolean await(long deadline) throws InterruptedException {
            if (deadline == Long.MAX_VALUE) {
                wait();
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
            return true;
        }

        /** Closes this end for good: the other end gets what was sent, then end-of-pipe. */
        void closeEnd() {
            synchronized (out) {
                synchronized (this) {
                    if (selfClosed) {
                        return;
                    }
                    selfClosed = true;
                    notifyAll();
                }
                try {
                    out.writeInt(1);
                    out.writeByte(SocketPipeRelay.CLOSE);
                    out.flush();
                } catch (IOException e) {
                    // the parent is gone: so is the pipe
                }
            }
            shut();
        }

        private void forgetLocal() {
            if (localKey != null) {
                LOCAL_SENT.remove(localKey, sentHere);
            }
        }

        void shut() {
            synchronized (this) {
                selfClosed = true;
                notifyAll();
            }
            forgetLocal();
            closeQuietly(socket);
        }
    }
}
