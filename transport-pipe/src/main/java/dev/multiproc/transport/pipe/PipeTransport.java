package dev.multiproc.transport.pipe;

import dev.multiproc.spi.ChildAttachment;
import dev.multiproc.spi.ChildEndpoint;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.ParentTransport;
import dev.multiproc.spi.Transport;
import dev.multiproc.spi.TransportConfig;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code pipe} transport: the child's stdin carries the parent's frames and its stdout carries the child's.
 * Core keeps the child's {@code System.out} off fd 1 and forwards it as messages; anything else that reaches fd 1
 * is printed by the parent as stray output. The child's stdin doubles as its lifeline: the parent's death closes
 * it, and the child exits.
 */
public final class PipeTransport implements Transport {
    /** Public for {@link java.util.ServiceLoader}. */
    public PipeTransport() {
    }

    @Override
    public String name() {
        return "pipe";
    }

    @Override
    public int priority() {
        return 10;
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
                        return CompletableFuture.completedFuture(new PipeChannel(
                                new BufferedInputStream(process.getInputStream(), 1 << 16),
                                new BufferedOutputStream(process.getOutputStream(), 1 << 16),
                                config.maxMessageSize(), "child " + childId + " (pid " + process.pid() + ")",
                                PipeTransport::printStray));
                    }

                    @Override
                    public void abort() {
                        // nothing prepared: the pipes belong to the process and die with it
                    }
                };
            }

            @Override
            public void close() {
                // channels close with their processes; nothing is shared
            }
        };
    }

    @Override
    public MessageChannel connect(ChildEndpoint endpoint) throws IOException {
        if (!"stdio".equals(endpoint.descriptor())) {
            throw new IOException("pipe transport expects descriptor 'stdio', got '" + endpoint.descriptor() + "'");
        }
        return new PipeChannel(endpoint.standardInput(), new BufferedOutputStream(endpoint.standardOutput(), 1 << 16),
                endpoint.maxMessageSize(), "parent", null);
    }

    private static void printStray(byte[] bytes, int length) {
        PrintStream out = System.out;
        out.write(bytes, 0, length);
        out.flush();
    }
}
