package dev.multiproc.transport.pipe;

import dev.multiproc.ProtocolException;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.MessageHandler;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A message channel over a pair of byte streams (a child's stdin and stdout, from either side). Sends are
 * serialized by a lock and written header-and-body in one flush; a daemon thread reads frames and hands them to
 * the handler. Stray bytes between frames go to the {@code strayOutput} sink, line by line.
 */
final class PipeChannel implements MessageChannel {
    /** Where bytes that are not frames go (the parent's System.out); null to drop them. */
    interface StraySink {
        void write(byte[] bytes, int length);
    }

    private final InputStream in;
    private final OutputStream out;
    private final int maxMessageSize;
    private final String peer;
    private final StraySink stray;
    /** The header of the frame being sent; only under the output's lock. */
    private final byte[] sendHeader = new byte[PipeFrameDescriptor.HEADER_LENGTH];
    /** The header of the frame being read; only on the reader thread. */
    private final byte[] header = new byte[PipeFrameDescriptor.HEADER_LENGTH];
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean closeReported = new AtomicBoolean();
    private volatile MessageHandler handler;

    PipeChannel(InputStream in, OutputStream out, int maxMessageSize, String peer, StraySink stray) {
        this.in = in;
        this.out = out;
        this.maxMessageSize = maxMessageSize;
        this.peer = peer;
        this.stray = stray;
    }

    @Override
    public void start(MessageHandler handler) {
        this.handler = handler;
        if (closed.get()) {
            reportClose(null); // closed before it was started: nothing to read, the close is all there is
            return;
        }
        Thread reader = new Thread(this::readLoop, "multiproc-pipe-reader-" + peer);
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        int length = message.remaining();
        MessageChannel.checkMessageSize(length, maxMessageSize);
        if (closed.get()) {
            throw new IOException("channel to " + peer + " is closed");
        }
        synchronized (out) {
            PipeFrameDescriptor.writeHeader(sendHeader, length);
            out.write(sendHeader);
            if (message.hasArray()) {
                out.write(message.array(), message.arrayOffset() + message.position(), length);
                message.position(message.limit());
            } else {
                byte[] copy = new byte[length];
                message.get(copy);
                out.write(copy);
            }
            out.flush();
        }
    }

    @Override
    public int maxMessageSize() {
        return maxMessageSize;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                synchronized (out) {
                    out.close();
                }
            } catch (IOException e) {
                // already broken: the peer sees the end of the stream either way
            }
            reportClose(null);
        }
    }

    private void reportClose(Throwable cause) {
        MessageHandler current = handler;
        if (current != null && closeReported.compareAndSet(false, true)) {
            current.onClose(cause);
        }
    }

    private void readLoop() {
        byte[] buffer = new byte[8192];
        ByteArrayOutputStream strayLine = new ByteArrayOutputStream();
        Throwable cause = null;
        try {
            while (true) {
                int first = in.read();
                if (first < 0) {
                    break;
                }
                if (first != PipeFrameDescriptor.MARKER) {
                    readStray(first, strayLine);
                    continue;
                }
                flushStray(strayLine);
                readFully(header, 1, PipeFrameDescriptor.HEADER_LENGTH - 1);
                if ((header[1] & 0xff) != PipeFrameDescriptor.MAGIC_1 || (header[2] & 0xff) != PipeFrameDescriptor.MAGIC_2
                        || (header[3] & 0xff) != PipeFrameDescriptor.VERSION) {
                    throw new ProtocolException("corrupt frame header from " + peer + " (bytes "
                            + String.format("%02x %02x %02x", header[1], header[2], header[3])
                            + "): not multiproc pipe framing version " + PipeFrameDescriptor.VERSION);
                }
                int length = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
                        | (header[7] & 0xff);
                if (length < 0 || length > maxMessageSize) {
                    throw new ProtocolException("frame from " + peer + " claims " + (length & 0xffffffffL)
                            + " bytes, more than the maximum of " + maxMessageSize + "; closing the channel");
                }
                if (buffer.length < length) {
                    buffer = new byte[Math.max(length, Math.min(maxMessageSize, buffer.length * 2))];
                }
                readFully(buffer, 0, length);
                handler.onMessage(ByteBuffer.wrap(buffer, 0, length));
                if (buffer.length > (1 << 20) && length < (1 << 16)) {
                    buffer = new byte[8192]; // do not keep a huge buffer for small traffic
                }
            }
        } catch (EOFException e) {
            cause = new ProtocolException("stream from " + peer + " ended in the middle of a frame", e);
        } catch (IOException | RuntimeException e) {
            cause = closed.get() ? null : e;
        } catch (Error e) {
            // out of memory, most likely, in the handler: the channel cannot go on, and its owner must hear why
            // rather than wait for messages this thread will never read
            cause = e;
        } finally {
            flushStray(strayLine);
            closed.set(true);
            reportClose(cause);
        }
    }

    /** Collects stray bytes up to a newline or the next frame marker, then passes them on as one write. */
    private void readStray(int first, ByteArrayOutputStream line) throws IOException {
        line.write(first);
        if (first == '\n') {
            flushStray(line);
            return;
        }
        while (true) {
            if (!in.markSupported()) {
                return; // byte-at-a-time accumulation: the caller's loop brings the next byte
            }
            in.mark(1);
            int next = in.read();
            if (next < 0) {
                return;
            }
            if (next == PipeFrameDescriptor.MARKER) {
                in.reset();
                flushStray(line);
                return;
            }
            line.write(next);
            if (next == '\n' || line.size() >= 8192) {
                flushStray(line);
                return;
            }
        }
    }

    private void flushStray(ByteArrayOutputStream line) {
        if (line.size() > 0 && stray != null) {
            stray.write(line.toByteArray(), line.size());
        }
        line.reset();
    }

    private void readFully(byte[] target, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = in.read(target, offset + done, length - done);
            if (n < 0) {
                throw new EOFException();
            }
            done += n;
        }
    }
}
