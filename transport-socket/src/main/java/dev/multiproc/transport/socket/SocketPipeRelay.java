package dev.multiproc.transport.socket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parent's side of the socket transport's native pipes. Each end of a pipe, in whichever process uses it,
 * keeps one authenticated connection to the parent; the parent forwards each frame from one end to the other as it
 * comes (no request, no reply, no state per message: the frames stream through), holds the frames for an end that
 * has not connected yet, and applies back-pressure by pausing the reading of a sender whose receiver's connection
 * is full. Only an explicit close closes an end: the other end receives what was sent before, then end-of-pipe, as
 * in Python. A process that exits, or dies, while it holds an end only lets go of it: the end stays open, another
 * process may take it up, and nothing sent to it is lost. For that, a message forwarded to an end's connection is
 * <em>lent</em>: the relay keeps it until the end acknowledges that a receive returned it, and gives the unacknowledged
 * ones back, in order, ahead of what still waits, when the connection drops.
 *
 * <p>Frames on a pipe connection: {@code [int length][byte op][...]}; op {@link #MESSAGE} carries {@code [byte
 * kind][payload]}, op {@link #CLOSE} nothing, op {@link #ACK} (end to relay) {@code [int count]} of messages its
 * receives returned, op {@link #SYNC} {@code [long token]}, which the relay echoes on the same connection once
 * everything it forwarded to that connection before is written (so a poll that syncs sees what was sent before it).
 * Thread-safety: one monitor per relay; connections of one pipe may be on different event loops.
 */
final class SocketPipeRelay {
    static final byte MESSAGE = 1;
    static final byte CLOSE = 2;
    static final byte ACK = 3;
    static final byte SYNC = 4;

    /** One pipe: per end (0 left, 1 right), its connection, what waits for it, and whether it closed. */
    private static final class Pipe {
        final Channel[] ends = new Channel[2];
        final List<ArrayDeque<ByteBuf>> pending = List.of(new ArrayDeque<>(), new ArrayDeque<>());
        /** Per end, the messages read from its current connection. */
        final long[] received = new long[2];
        /** Per end, its syncs waiting for the other end's parent-local connection to be read up to a count. */
        final List<ArrayDeque<long[]>> deferredSyncs = List.of(new ArrayDeque<>(), new ArrayDeque<>());
        /** Per end, the messages written to its connection that no receive has acknowledged yet, oldest first. */
        final List<ArrayDeque<ByteBuf>> lent = List.of(new ArrayDeque<>(), new ArrayDeque<>());
        final boolean[] closed = new boolean[2];
    }

    private final Map<String, Pipe> pipes = new ConcurrentHashMap<>();
    private boolean shut;

    /** Registers a pipe the parent made. */
    synchronized void create(String pipeId) {
        pipes.put(pipeId, new Pipe());
    }

    /** What {@link #attach} answers, as the status word of its reply: attached. */
    static final int ATTACHED = 0;
    /** The end was closed: using it throws {@link dev.multiproc.ChannelClosedException}. */
    static final int END_CLOSED = 1;
    /** Another process holds the end now. */
    static final int END_IN_USE = 2;
    /** No such pipe in this context (or the context is closing). */
    static final int NO_SUCH_PIPE = 3;

    /** @return why {@link #attach} refused, for the parent's log and the end's exception */
    static String refusal(int status) {
        return switch (status) {
            case END_CLOSED -> "is an end of a pipe that was closed";
            case END_IN_USE -> "is an end of a pipe that another process uses now (a Connection belongs to one"
                    + " process at a time, as in Python; it is free again once that process lets it go or exits)";
            default -> "names no pipe of this context";
        };
    }

    /**
     * An end's process connected and authenticated; the reply, {@code [int 4][int status]}, is written here when
     * attached, and by the caller, who then closes the connection, when not.
     *
     * @return {@link #ATTACHED}, or why not
     */
    synchronized int attach(String pipeId, int side, Channel channel) {
        Pipe pipe = pipes.get(pipeId);
        if (shut || pipe == null) {
            return NO_SUCH_PIPE;
        }
        if (pipe.closed[side]) {
            return END_CLOSED;
        }
        if (pipe.ends[side] != null) {
            return END_IN_USE;
        }
        pipe.ends[side] = channel;
        pipe.received[side] = 0;
        pipe.deferredSyncs.get(side).clear();
        channel.write(Unpooled.buffer(8).writeInt(4).writeInt(0)); // welcome: attached
        ArrayDeque<ByteBuf> waiting = pipe.pending.get(side);
        ByteBuf frame;
        while ((frame = waiting.poll()) != null) {
            forward(pipe, side, channel, frame);
        }
        channel.flush();
        return ATTACHED;
    }

    /** A frame from an end: forwarded to the other end, or kept until it connects. Takes ownership of the frame. */
    synchronized void fromEnd(String pipeId, int side, ByteBuf frame) {
        Pipe pipe = pipes.get(pipeId);
        if (pipe == null || pipe.closed[side]) {
            frame.release();
            return;
        }
        byte op = frame.readableBytes() > 0 ? frame.getByte(frame.readerIndex()) : 0;
        if (op == CLOSE) {
            frame.release();
            closeEnd(pipe, side);
            return;
        }
        if (op == ACK) {
            int count = frame.readableBytes() >= 5 ? frame.getInt(frame.readerIndex() + 1) : 0;
            frame.release();
            ArrayDeque<ByteBuf> lent = pipe.lent.get(side);
            for (int i = 0; i < count && !lent.isEmpty(); i++) {
                lent.poll().release();
            }
            return;
        }
        if (op == SYNC) {
            long token = frame.getLong(frame.readerIndex() + 1);
            frame.release();
            // If this process (the parent) holds the other end, its sends may still be in its socket: answer once
            // they are read, so that what the parent sent before it told the child is there for the child's poll.
            long sentHere = SocketPipeEnd.localSent(pipeId, 1 - side);
            if (sentHere > pipe.received[1 - side]) {
                pipe.deferredSyncs.get(side).add(new long[] {token, sentHere});
            } else {
                answerSync(pipe.ends[side], token);
            }
            return;
        }
        int other = 1 - side;
        pipe.received[side]++;
        if (pipe.closed[other]) {
            frame.release(); // nobody will ever read it: the sender learns of the close from its own frames
            answerDeferredSyncs(pipe, other);
            return;
        }
        Channel to = pipe.ends[other];
        if (to == null) {
            pipe.pending.get(other).add(frame);
            return;
        }
        forward(pipe, other, to, frame);
        to.flush();
        answerDeferredSyncs(pipe, other);
        Channel from = pipe.ends[side];
        if (!to.isWritable() && from != null) {
            from.config().setAutoRead(false); // resumed by writable() once the receiver drains
        }
    }

    /** The connection of an end became writable again: let the other end's connection send more. */
    synchronized void writable(String pipeId, int side) {
        Pipe pipe = pipes.get(pipeId);
        if (pipe != null && pipe.ends[side] != null && pipe.ends[side].isWritable()) {
            Channel sender = pipe.ends[1 - side];
            if (sender != null) {
                sender.config().setAutoRead(true);
            }
        }
    }

    /**
     * An end's connection closed without closing the end (its process let go of it, or died): the end stays open
     * for another process, and what was lent to the connection goes back, in order, ahead of what waits for it.
     */
    synchronized void detached(String pipeId, int side, Channel channel) {
        Pipe pipe = pipes.get(pipeId);
        if (pipe != null && pipe.ends[side] == channel) {
            pipe.ends[side] = null;
            releaseDeferredSyncs(pipe, 1 - side); // nothing more will be read from this connection
            ArrayDeque<ByteBuf> lent = pipe.lent.get(side);
            ArrayDeque<ByteBuf> waiting = pipe.pending.get(side);
            ByteBuf frame;
            while ((frame = lent.pollLast()) != null) {
                waiting.addFirst(frame);
            }
            if (pipe.closed[1 - side] && !pipe.closed[side]
                    && (waiting.isEmpty() || waiting.peekLast().getByte(waiting.peekLast().readerIndex()) != CLOSE)) {
                waiting.add(Unpooled.buffer(1).writeByte(CLOSE)); // the close it saw went with the connection
            }
            Channel sender = pipe.ends[1 - side];
            if (sender != null) {
                sender.config().setAutoRead(true);
            }
        }
    }

    private void closeEnd(Pipe pipe, int side) {
        if (pipe.closed[side]) {
            return;
        }
        pipe.closed[side] = true;
        releaseDeferredSyncs(pipe, 1 - side);
        pipe.lent.get(side).forEach(ByteBuf::release); // nobody will read what this end was lent
        pipe.lent.get(side).clear();
        ByteBuf close = Unpooled.buffer(1).writeByte(CLOSE);
        int other = 1 - side;
        Channel to = pipe.ends[other];
        if (to == null) {
            pipe.pending.get(other).add(close);
        } else {
            write(to, close);
            to.flush();
        }
        pipe.pending.get(side).forEach(ByteBuf::release); // nobody will read what waited for the closed end
        pipe.pending.get(side).clear();
    }

    /** Answers a SYNC after every write already queued for the connection, from whichever event loop queued it. */
    private static void answerSync(Channel channel, long token) {
        if (channel != null) {
            ByteBuf reply = Unpooled.buffer(13).writeInt(9).writeByte(SYNC).writeLong(token);
            channel.eventLoop().execute(() -> channel.writeAndFlush(reply));
        }
    }

    /** Answers the syncs of end {@code side} that waited for what the other end's connection has now been read. */
    private static void answerDeferredSyncs(Pipe pipe, int side) {
        ArrayDeque<long[]> waiting = pipe.deferredSyncs.get(side);
        while (!waiting.isEmpty() && waiting.peek()[1] <= pipe.received[1 - side]) {
            answerSync(pipe.ends[side], waiting.poll()[0]);
        }
    }

    /** Answers every sync of end {@code side} at once: the other end's connection will send nothing more. */
    private static void releaseDeferredSyncs(Pipe pipe, int side) {
        ArrayDeque<long[]> waiting = pipe.deferredSyncs.get(side);
        while (!waiting.isEmpty()) {
            answerSync(pipe.ends[side], waiting.poll()[0]);
        }
    }

    /** Writes a frame to an end's connection; a message stays lent to the end until the end acknowledges it. */
    private static void forward(Pipe pipe, int side, Channel to, ByteBuf frame) {
        if (frame.getByte(frame.readerIndex()) == MESSAGE) {
            pipe.lent.get(side).add(frame);
            write(to, frame.retainedDuplicate());
        } else {
            write(to, frame);
        }
    }

    private static void write(Channel channel, ByteBuf frame) {
        channel.write(Unpooled.buffer(4).writeInt(frame.readableBytes()));
        channel.write(frame);
    }

    /** The context closes: every pipe connection is closed and what waited is released. */
    synchronized void close() {
        shut = true;
        for (Pipe pipe : pipes.values()) {
            for (int side = 0; side < 2; side++) {
                pipe.pending.get(side).forEach(ByteBuf::release);
                pipe.pending.get(side).clear();
                pipe.lent.get(side).forEach(ByteBuf::release);
                pipe.lent.get(side).clear();
                if (pipe.ends[side] != null) {
                    pipe.ends[side].close();
                }
            }
        }
        pipes.clear();
    }
}
