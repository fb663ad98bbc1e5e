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

/**
 * One end of a socket-transport pipe, in any process of the context. The first use of an end in a process opens
 * one connection to the parent, authenticated with the context's key like a child's channel, which the parent's
 * {@link SocketPipeRelay} joins to the other end's: a send is one frame written to a socket (no round trip), and
 * a receive takes what the connection's reader thread has already read. Copies of an end in one process share its
 * connection. The connection dies with its process; the other end then sees end-of-pipe.
 */
final class SocketPipeEnd implements NativeConnection {
    @Serial
    private static final long serialVersionUID = 1L;

    /** How the processes of a context reach its parent: by the parent's address, as spawned children know it. */
    record Parent(String host, int port, byte[] key) {
    }

    /** Parents this process can reach: the parent itself registers under its own address. */
    private static final Map<String, Parent> PARENTS = new ConcurrentHashMap<>();
    /** This process's own parent, if it is a child or a remote worker: pipes of its context go there. */
    private static volatile Parent ownParent;
    /** The connected ends of this process, by pipe id and side. */
    private static final Map<String, Connected> CONNECTED = new ConcurrentHashMap<>();

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
            if (parent == null) {
                parent = ownParent;
            }
            if (parent == null) {
                throw new IllegalStateException(this + " is used in a process that is not part of its context (no"
                        + " key to reach the parent at " + parentAddress + "): pass pipe ends only to processes of the"
                        + " context that made the pipe");
            }
            Connected made = new Connected(address, this.toString(), parent, SocketHandshake.PIPE_PREFIX + pipeId
                    + "/" + side);
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
        private final String address;
        private final String what;
        private final Socket socket;
        private final DataOutputStream out;
        private final ArrayDeque<byte[]> inbox = new ArrayDeque<>();
        private boolean peerClosed;
        private boolean selfClosed;
        private String broken;

        Connected(String address, String what, Parent parent, String id) {
            this.address = address;
            this.what = what;
            Socket made = new Socket();
            try {
                made.setTcpNoDelay(true);
                made.connect(new InetSocketAddress(parent.host(), parent.port()), 10_000);
                DataInputStream in = new DataInputStream(new BufferedInputStream(made.getInputStream(), 1 << 16));
                out = new DataOutputStream(new BufferedOutputStream(made.getOutputStream(), 1 << 16));
                SocketChildChannel.authenticate(in, out, parent.key(), id);
                int length = in.readInt();
                if (length != 4 || in.readInt() != 0) {
                    throw new ProtocolException("the parent refused " + what);
                }
                socket = made;
                Thread reader = new Thread(() -> readLoop(in), "multiproc-socket-pipe-" + id);
                reader.setDaemon(true);
                reader.start();
            } catch (EOFException e) {
                closeQuietly(made);
                throw new IllegalStateException("the parent refused " + what + " (closed, or used by another"
                        + " process; see the parent's log)", e);
            } catch (IOException e) {
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
                        break;
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
                    if (!selfClosed) {
                        broken = "the connection to the parent broke (" + e + ")";
                    }
                }
            }
            synchronized (this) {
                peerClosed = true;
                notifyAll();
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
                } catch (IOException e) {
                    throw new ChannelClosedException("cannot send on " + what + ": " + e.getMessage());
                }
            }
        }

        synchronized byte[] receive(int kind, long deadline) throws InterruptedException {
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

        synchronized boolean poll(long deadline) throws InterruptedException {
            while (inbox.isEmpty() && !peerClosed && !selfClosed) {
                if (!await(deadline)) {
                    return false;
                }
            }
            return true;
        }

        /** @return false once the deadline has passed */
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

        void shut() {
            synchronized (this) {
                selfClosed = true;
                notifyAll();
            }
            closeQuietly(socket);
        }
    }
}
