package dev.multiproc.transport.pipe.broken;

import dev.multiproc.internal.protocol.Envelope;
import dev.multiproc.internal.protocol.Op;
import dev.multiproc.internal.protocol.Start;
import dev.multiproc.spi.ChildAttachment;
import dev.multiproc.spi.ChildEndpoint;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.MessageHandler;
import dev.multiproc.spi.ParentTransport;
import dev.multiproc.spi.Transport;
import dev.multiproc.spi.TransportConfig;
import dev.multiproc.transport.pipe.PipeTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The pipe transport with one deliberate fault on the parent's side (what it receives, or what it sends), for testing the tck itself: a
 * contract that cannot tell this transport from a correct one is not checking anything.
 */
public abstract class BrokenPipeTransport implements Transport {
    private final PipeTransport pipe = new PipeTransport();

    /** Loses the first task result each worker sends: the call it belongs to must not complete. */
    public static final class DropsFirstResult extends BrokenPipeTransport {
        @Override
        public String name() {
            return "broken-drops-result";
        }

        @Override
        ByteBuffer tamper(ByteBuffer message) {
            return null;
        }
    }

    /** Garbles the first task result each worker sends: the channel must be treated as broken. */
    public static final class CorruptsFirstResult extends BrokenPipeTransport {
        @Override
        public String name() {
            return "broken-corrupts-result";
        }

        @Override
        ByteBuffer tamper(ByteBuffer message) {
            byte[] garbage = new byte[message.remaining()];
            java.util.Arrays.fill(garbage, (byte) 0xff);
            return ByteBuffer.wrap(garbage);
        }
    }

    /** Loses the first Interrupt the parent sends a worker: the task whose deadline passed is not stopped. */
    public static final class DropsFirstInterrupt extends BrokenPipeTransport {
        private final AtomicBoolean dropped = new AtomicBoolean();

        @Override
        public String name() {
            return "broken-drops-interrupt";
        }

        @Override
        ByteBuffer tamper(ByteBuffer message) {
            return message;
        }

        @Override
        ByteBuffer sent(ByteBuffer message, AtomicLong marked) {
            return is(message, Envelope.BodyCase.INTERRUPT) && dropped.compareAndSet(false, true) ? null : message;
        }
    }

    /** Tells every child a parent pid one off the parent's: the child's parentProcess() is someone else. */
    public static final class TellsTheWrongParent extends BrokenPipeTransport {
        @Override
        public String name() {
            return "broken-wrong-parent";
        }

        @Override
        ByteBuffer tamper(ByteBuffer message) {
            return message;
        }

        @Override
        ByteBuffer sent(ByteBuffer message, AtomicLong marked) {
            return rewriteStart(message, start -> start.setParentPid(start.getParentPid() + 1));
        }
    }

    /** Loses the name in every child's Start: the child cannot say the name its parent gave it. */
    public static final class LosesTheName extends BrokenPipeTransport {
        @Override
        public String name() {
            return "broken-loses-name";
        }

        @Override
        ByteBuffer tamper(ByteBuffer message) {
            return message;
        }

        @Override
        ByteBuffer sent(ByteBuffer message, AtomicLong marked) {
            return rewriteStart(message, Start.Builder::clearName);
        }
    }

    /**
     * Loses, on each child's channel, the parent's answer to the child's first call of one operation: the wake-up
     * of a party released from a barrier, or of a waiter signalled on a condition, never arrives.
     */
    abstract static class DropsFirstWakeUp extends BrokenPipeTransport {
        private final Op op;

        DropsFirstWakeUp(Op op) {
            this.op = op;
        }

        @Override
        ByteBuffer tamper(ByteBuffer message) {
            return message;
        }

        @Override
        void received(ByteBuffer message, AtomicLong marked) {
            Envelope envelope = parse(message);
            if (envelope != null && envelope.getBodyCase() == Envelope.BodyCase.CALL
                    && envelope.getCall().getOp() == op) {
                marked.compareAndSet(0, envelope.getCall().getCallId());
            }
        }

        @Override
        ByteBuffer sent(ByteBuffer message, AtomicLong marked) {
            long callId = marked.get();
            Envelope envelope = callId > 0 ? parse(message) : null;
            boolean drop = envelope != null && envelope.getBodyCase() == Envelope.BodyCase.REPLY
                    && envelope.getReply().getCallId() == callId && marked.compareAndSet(callId, -1);
            return drop ? null : message;
        }
    }

    /** Loses each child's first release from a barrier. */
    public static final class DropsFirstBarrierWakeUp extends DropsFirstWakeUp {
        /** The transport, for the ServiceLoader. */
        public DropsFirstBarrierWakeUp() {
            super(Op.BARRIER_AWAIT);
        }

        @Override
        public String name() {
            return "broken-drops-barrier-wake-up";
        }
    }

    /** Loses each child's first wake-up from a condition. */
    public static final class DropsFirstConditionWakeUp extends DropsFirstWakeUp {
        /** The transport, for the ServiceLoader. */
        public DropsFirstConditionWakeUp() {
            super(Op.CONDITION_WAIT);
        }

        @Override
        public String name() {
            return "broken-drops-condition-wake-up";
        }
    }

    /** @return the message to deliver instead of a worker's first TaskResult, or null to drop it */
    abstract ByteBuffer tamper(ByteBuffer message);

    /**
     * Sees a message a child sent the parent, before the parent does.
     *
     * @param marked per channel, for the fault's own use (0 at first)
     */
    void received(ByteBuffer message, AtomicLong marked) {
    }

    /**
     * @param marked per channel, as given to {@link #received}
     * @return what to send instead of this message the parent sends to a child, or null to lose it
     */
    ByteBuffer sent(ByteBuffer message, AtomicLong marked) {
        return message;
    }

    /** @return {@code message} with {@code change} made to it if it is a Start, else {@code message} as it is */
    static ByteBuffer rewriteStart(ByteBuffer message, Consumer<Start.Builder> change) {
        Envelope envelope = parse(message);
        if (envelope == null || envelope.getBodyCase() != Envelope.BodyCase.START) {
            return message;
        }
        Start.Builder start = envelope.getStart().toBuilder();
        change.accept(start);
        return ByteBuffer.wrap(envelope.toBuilder().setStart(start).build().toByteArray());
    }

    @Override
    public int priority() {
        return -100; // never the default
    }

    @Override
    public boolean usesStandardStreams() {
        return true;
    }

    @Override
    public MessageChannel connect(ChildEndpoint endpoint) throws IOException {
        return pipe.connect(endpoint);
    }

    @Override
    public ParentTransport open(TransportConfig config) throws IOException {
        ParentTransport inner = pipe.open(config);
        return new ParentTransport() {
            @Override
            public ChildAttachment prepare(String childId) throws IOException {
                ChildAttachment attachment = inner.prepare(childId);
                return new ChildAttachment() {
                    @Override
                    public String descriptor() {
                        return attachment.descriptor();
                    }

                    @Override
                    public CompletableFuture<MessageChannel> attach(Process process) throws IOException {
                        // each worker's first result: a chunk the pool runs again elsewhere (retries) meets the fault again
                        return attachment.attach(process).thenApply(channel -> wrap(channel, new AtomicBoolean()));
                    }

                    @Override
                    public void abort() {
                        attachment.abort();
                    }
                };
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    private MessageChannel wrap(MessageChannel channel, AtomicBoolean tampered) {
        AtomicLong marked = new AtomicLong();
        return new MessageChannel() {
            @Override
            public void start(MessageHandler handler) {
                channel.start(new MessageHandler() {
                    @Override
                    public void onMessage(ByteBuffer message) {
                        received(message, marked);
                        if (isResult(message) && tampered.compareAndSet(false, true)) {
                            ByteBuffer replacement = tamper(message);
                            if (replacement != null) {
                                handler.onMessage(replacement);
                            }
                            return;
                        }
                        handler.onMessage(message);
                    }

                    @Override
                    public void onClose(Throwable cause) {
                        handler.onClose(cause);
                    }
                });
            }

            @Override
            public void send(ByteBuffer message) throws IOException {
                ByteBuffer sending = sent(message, marked);
                if (sending != null) {
                    channel.send(sending);
                }
            }

            @Override
            public int maxMessageSize() {
                return channel.maxMessageSize();
            }

            @Override
            public void close() {
                channel.close();
            }
        };
    }

    private static boolean isResult(ByteBuffer message) {
        return is(message, Envelope.BodyCase.RESULT);
    }

    private static boolean is(ByteBuffer message, Envelope.BodyCase kind) {
        Envelope envelope = parse(message);
        return envelope != null && envelope.getBodyCase() == kind;
    }

    /** @return the message, or null if it is not an envelope */
    private static Envelope parse(ByteBuffer message) {
        try {
            return Envelope.parseFrom(message.duplicate());
        } catch (IOException e) {
            return null;
        }
    }
}
