package dev.multiproc.internal.jfr;

import dev.multiproc.spi.AbstractMessageChannel;
import dev.multiproc.spi.ChildAttachment;
import dev.multiproc.spi.ChildEndpoint;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.ParentTransport;
import dev.multiproc.spi.Transport;
import dev.multiproc.spi.TransportConfig;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A transport over a child's standard streams, for the tests of core that need a real child JVM (core has no
 * transport of its own): each message is its length (an int) and its bytes, on the child's stdin one way and its
 * stdout the other. Children load this class by name from the test class path, as they would any transport.
 */
public final class StdioTestTransport implements Transport {
    /** Public, for the child, which makes its transport by name. */
    public StdioTestTransport() {
    }

    @Override
    public String name() {
        return "jfr-test-stdio";
    }

    @Override
    public boolean usesStandardStreams() {
        return true;
    }

    @Override
    public ParentTransport open(TransportConfig config) {
        return new ParentTransport() {
            @Override
            public ChildAttachment prepare(String childId) {
                return new ChildAttachment() {
                    @Override
                    public String descriptor() {
                        return "stdio";
                    }

                    @Override
                    public CompletableFuture<MessageChannel> attach(Process process) {
                        return CompletableFuture.completedFuture(new StreamChannel(process.getInputStream(),
                                process.getOutputStream(), config.maxMessageSize(), "child " + childId));
                    }

                    @Override
                    public void abort() {
                        // nothing prepared: the streams belong to the process
                    }
                };
            }

            @Override
            public void close() {
                // channels close with their processes
            }
        };
    }

    @Override
    public MessageChannel connect(ChildEndpoint endpoint) {
        return new StreamChannel(endpoint.standardInput(), endpoint.standardOutput(), endpoint.maxMessageSize(),
                "the parent");
    }

    /** Length-prefixed messages over a pair of streams. */
    private static final class StreamChannel extends AbstractMessageChannel {
        private final DataInputStream in;
        private final DataOutputStream out;

        StreamChannel(InputStream in, OutputStream out, int maxMessageSize, String peer) {
            super(peer, maxMessageSize);
            this.in = new DataInputStream(new BufferedInputStream(in, 1 << 16));
            this.out = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
        }

        @Override
        protected void startDelivery() {
            startReaderThread("jfr-test-stdio-reader-" + peer(), this::readLoop);
        }

        private void readLoop() throws IOException {
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException e) {
                    return; // the peer closed between messages
                }
                checkFrameLength(length & 0xffffffffL);
                byte[] message = new byte[length];
                in.readFully(message);
                deliver(ByteBuffer.wrap(message));
            }
        }

        @Override
        protected void write(ByteBuffer message) throws IOException {
            synchronized (out) {
                out.writeInt(message.remaining());
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
    }
}
