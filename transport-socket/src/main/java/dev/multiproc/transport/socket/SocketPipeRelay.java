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
 * is full. An end whose connection closes, because its process closed it or died, is closed: the other end receives
 * what was sent before, then end-of-pipe, as in Python.
 *
 * <p>Frames on a pipe connection: {@code [int length][byte op][...]}; op {@link #MESSAGE} carries {@code [byte
 * kind][payload]}, op {@link #CLOSE} nothing. Thread-safety: one monitor per relay; connections of one pipe may be
 * on different event loops.
 */
final class SocketPipeRelay {
    static final byte MESSAGE = 1;
    static final byte CLOSE = 2;

    /** One pipe: per end (0 left, 1 right), its connection, what waits for it, and whether it closed. */
    private static final class Pipe {
        final Channel[] ends = new Channel[2];
        final List<ArrayDeque<ByteBuf>> pending = List.of(new ArrayDeque<>(), new ArrayDeque<>());
        final boolean[] closed = new boolean[2];
    }

    private final Map<String, Pipe> pipes = new ConcurrentHashMap<>();
    private boolean shut;

    /** Registers a pipe the parent made. */
    synchronized void create(String pipeId) {
        pipes.put(pipeId, new Pipe());
    }

    /**
     * An end's process connected and authenticated.
     *
     * @return null if attached; otherwise why not (the connection is then refused)
     */
    synchronized String attach(String pipeId, int side, Channel channel) {
        Pipe pipe = pipes.get(pipeId);
        if (shut || pipe == null) {
            return "names no pipe of this context";
        }
        if (pipe.ends[side] != null) {
            return "is an end of a pipe that another process already uses (a Connection belongs to one process at a"
                    + " time, as in Python)";
        }
        if (pipe.closed[side]) {
            return "is an end of a pipe that was closed";
        }
        pipe.ends[side] = channel;
        channel.write(Unpooled.buffer(8).writeInt(4).writeInt(0)); // welcome: attached
        ArrayDeque<ByteBuf> waiting = pipe.pending.get(side);
        ByteBuf frame;
        while ((frame = waiting.poll()) != null) {
            write(channel, frame);
        }
        channel.flush();
        return null;
    }

    /** A frame from an end: forwarded to the other end, or kept until it connects. Takes ownership of the frame. */
    synchronized void fromEnd(String pipeId, int side, ByteBuf frame) {
        Pipe pipe = pipes.get(pipeId);
        if (pipe == null || pipe.closed[side]) {
            frame.release();
            return;
        }
        if (frame.readableBytes() > 0 && frame.getByte(frame.readerIndex()) == CLOSE) {
            frame.release();
            closeEnd(pipe, side);
            return;
        }
        int other = 1 - side;
        if (pipe.closed[other]) {
            frame.release(); // nobody will ever read it: the sender learns of the close from its own frames
            return;
        }
        Channel to = pipe.ends[other];
        if (to == null) {
            pipe.pending.get(other).add(frame);
            return;
        }
        write(to, frame);
        to.flush();
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

    /** An end's connection closed: the end is closed, whatever its process meant. */
    synchronized void detached(String pipeId, int side, Channel channel) {
        Pipe pipe = pipes.get(pipeId);
        if (pipe != null && pipe.ends[side] == channel) {
            pipe.ends[side] = null;
            closeEnd(pipe, side);
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
                if (pipe.ends[side] != null) {
                    pipe.ends[side].close();
                }
            }
        }
        pipes.clear();
    }
}
