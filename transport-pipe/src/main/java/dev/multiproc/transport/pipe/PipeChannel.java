package dev.multiproc.transport.pipe;

import dev.multiproc.ProtocolException;
import dev.multiproc.spi.AbstractMessageChannel;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * A message channel over a pair of byte streams (a child's stdin and stdout, from either side). Sends (serialized by
 * the superclass) are written header-and-body in one flush; a daemon thread reads frames and hands them to the
 * handler. Stray bytes between frames go to the {@code strayOutput} sink, line by line.
 */
final class PipeChannel extends AbstractMessageChannel {
    /** Where bytes that are not frames go (the parent's System.out); null to drop them. */
    interface StraySink {
        void write(byte[] bytes, int length);
    }

    private final InputStream in;
    private final OutputStream out;
    private final StraySink stray;
    /** The header of the frame being sent; only in {@link #write}, which the superclass serializes. */
    private final byte[] sendHeader = new byte[PipeFrameDescriptor.HEADER_LENGTH];
    /** The header of the frame being read; only on the reader thread. */
    private final byte[] header = new byte[PipeFrameDescriptor.HEADER_LENGTH];

    PipeChannel(InputStream in, OutputStream out, int maxMessageSize, String peer, StraySink stray) {
        super(peer, maxMessageSize);
        this.in = in;
        this.out = out;
        this.stray = stray;
    }

    @Override
    protected void startDelivery() {
        startReaderThread("multiproc-pipe-reader-" + peer(), this::readLoop);
    }

    @Override
    protected void write(ByteBuffer message) throws IOException {
        int length = message.remaining();
        synchronized (out) { // a close waits for the frame being written: the peer never sees half of one
            PipeFrameDescriptor.writeHeader(sendHeader, length);
            out.write(sendHeader);
            writeRemaining(out, message);
            out.flush();
        }
    }

    @Override
    protected void closeMedium() {
        try {
            synchronized (out) {
                out.close();
            }
        } catch (IOException e) {
            // already broken: the peer sees the end of the stream either way
        }
    }

    private void readLoop() throws IOException {
        byte[] buffer = new byte[8192];
        ByteArrayOutputStream strayLine = new ByteArrayOutputStream();
        try {
            while (true) {
                int first = in.read();
                if (first < 0) {
                    return;
                }
                if (first != PipeFrameDescriptor.MARKER) {
                    readStray(first, strayLine);
                    continue;
                }
                flushStray(strayLine);
                readFully(header, 1, PipeFrameDescriptor.HEADER_LENGTH - 1);
                if ((header[1] & 0xff) != PipeFrameDescriptor.MAGIC_1 || (header[2] & 0xff) != PipeFrameDescriptor.MAGIC_2
                        || (header[3] & 0xff) != PipeFrameDescriptor.VERSION) {
                    throw new ProtocolException("corrupt frame header from " + peer() + " (bytes "
                            + String.format("%02x %02x %02x", header[1], header[2], header[3])
                            + "): not multiproc pipe framing version " + PipeFrameDescriptor.VERSION);
                }
                int length = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
                        | (header[7] & 0xff);
                checkFrameLength(length & 0xffffffffL);
                if (buffer.length < length) {
                    buffer = new byte[Math.max(length, Math.min(maxMessageSize(), buffer.length * 2))];
                }
                readFully(buffer, 0, length);
                deliver(ByteBuffer.wrap(buffer, 0, length));
                if (buffer.length > (1 << 20) && length < (1 << 16)) {
                    buffer = new byte[8192]; // do not keep a huge buffer for small traffic
                }
            }
        } finally {
            flushStray(strayLine);
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
