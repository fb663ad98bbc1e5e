package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.multiproc.ProtocolException;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.MessageHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of a transport's {@link MessageChannel}, both ends in this JVM: whole messages in order both ways,
 * an oversized send refused before anything is written, an oversized frame from the peer closing the receiver with
 * a {@link ProtocolException}, concurrent sends that never interleave, {@link MessageHandler#onClose} exactly once
 * on each side, and a close before {@code start} reported by {@code start}. A transport's test subclasses it and
 * says how to make a connected pair.
 */
@Timeout(120) // in-process: a hang, never slowness, reaches this
public abstract class MessageChannelContract {
    /** The maximum message size of the channels these tests make, unless a test says otherwise. */
    protected static final int MAX = 64 * 1024;

    private final List<ChannelPair> opened = new ArrayList<>();

    /** For a transport's subclass, which JUnit instantiates. */
    protected MessageChannelContract() {
    }

    /**
     * Two connected channels of this transport, neither started: what one sends, the other receives.
     *
     * @param parentMax the largest message the parent's end sends and accepts
     * @param childMax the largest message the child's end sends and accepts
     * @return the pair; the tests close it
     * @throws Exception if the transport cannot make it
     */
    protected abstract ChannelPair connect(int parentMax, int childMax) throws Exception;

    /**
     * A connected pair of channels and what else must be released with them.
     *
     * @param parent the parent's end
     * @param child the child's end
     * @param resources released after both ends are closed (a segment, a listener); may do nothing
     */
    public record ChannelPair(MessageChannel parent, MessageChannel child, Resources resources)
            implements AutoCloseable {
        /** What a pair holds besides its channels. */
        @FunctionalInterface
        public interface Resources {
            /**
             * Releases them.
             *
             * @throws IOException if one cannot be released
             */
            void close() throws IOException;
        }

        @Override
        public void close() throws IOException {
            try {
                parent.close();
                child.close();
            } finally {
                resources.close();
            }
        }
    }

    private ChannelPair pair(int parentMax, int childMax) throws Exception {
        ChannelPair pair = connect(parentMax, childMax);
        opened.add(pair);
        return pair;
    }

    /** Closes every pair a test opened. */
    @AfterEach
    void closePairs() throws Exception {
        for (ChannelPair pair : opened) {
            pair.close();
        }
    }

    /** Records what a channel delivers: copies of the messages, every close, and anything after the close. */
    protected static final class Recorder implements MessageHandler {
        /** An empty recorder. */
        Recorder() {
        }

        final LinkedBlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();
        final AtomicInteger closes = new AtomicInteger();
        final AtomicInteger afterClose = new AtomicInteger();

        @Override
        public void onMessage(ByteBuffer message) {
            if (closes.get() > 0) {
                afterClose.incrementAndGet();
            }
            byte[] copy = new byte[message.remaining()];
            message.get(copy);
            messages.add(copy);
        }

        @Override
        public void onClose(Throwable cause) {
            closes.incrementAndGet();
            closed.complete(cause);
        }

        byte[] next() throws InterruptedException {
            byte[] message = messages.poll(TckTimeouts.millis(20), TimeUnit.MILLISECONDS);
            if (message == null) {
                fail("no message arrived; closed: " + closed.getNow(null) + " (done: " + closed.isDone() + ")");
            }
            return message;
        }

        Throwable awaitClose() throws Exception {
            return closed.get(TckTimeouts.millis(20), TimeUnit.MILLISECONDS);
        }
    }

    private static Recorder start(MessageChannel channel) {
        Recorder recorder = new Recorder();
        channel.start(recorder);
        return recorder;
    }

    /** A message whose every byte depends on its length and seed: a truncated or spliced one does not match. */
    private static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + seed + (i >>> 8));
        }
        return bytes;
    }

    /** Messages of every size up to the maximum arrive whole and in order, both ways at once. */
    @Test
    public void messagesArriveWholeAndInOrderInBothDirections() throws Exception {
        ChannelPair pair = pair(MAX, MAX);
        Recorder atParent = start(pair.parent());
        Recorder atChild = start(pair.child());
        List<Integer> sizes = new ArrayList<>(List.of(0, 1, 2, 100, 4095, 4096, 4097, MAX - 1, MAX));
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            sizes.add(random.nextInt(random.nextBoolean() ? 300 : MAX + 1));
        }
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<?> fromChild = executor.submit(() -> {
                for (int i = 0; i < sizes.size(); i++) {
                    pair.child().send(ByteBuffer.wrap(pattern(sizes.get(i), -i)));
                }
                return null;
            });
            for (int i = 0; i < sizes.size(); i++) {
                pair.parent().send(ByteBuffer.wrap(pattern(sizes.get(i), i)));
            }
            fromChild.get(TckTimeouts.millis(60), TimeUnit.MILLISECONDS);
        } finally {
            executor.shutdownNow();
        }
        for (int i = 0; i < sizes.size(); i++) {
            assertArrayEquals(pattern(sizes.get(i), i), atChild.next(), "message " + i + " at the child");
            assertArrayEquals(pattern(sizes.get(i), -i), atParent.next(), "message " + i + " at the parent");
        }
    }

    /** A send over the maximum throws IllegalArgumentException and writes nothing: the next message is next. */
    @Test
    public void anOversizedSendIsRefusedBeforeAnythingIsWritten() throws Exception {
        ChannelPair pair = pair(MAX, MAX);
        Recorder atChild = start(pair.child());
        Recorder atParent = start(pair.parent());
        assertEquals(MAX, pair.parent().maxMessageSize());
        assertEquals(MAX, pair.child().maxMessageSize());
        assertThrows(IllegalArgumentException.class, () -> pair.parent().send(ByteBuffer.wrap(new byte[MAX + 1])));
        assertThrows(IllegalArgumentException.class, () -> pair.child().send(ByteBuffer.wrap(new byte[MAX + 1])));
        pair.parent().send(ByteBuffer.wrap(pattern(10, 1)));
        pair.child().send(ByteBuffer.wrap(pattern(10, 2)));
        assertArrayEquals(pattern(10, 1), atChild.next(), "the first message the child received");
        assertArrayEquals(pattern(10, 2), atParent.next(), "the first message the parent received");
        assertTrue(!atChild.closed.isDone() && !atParent.closed.isDone(), "a refused send closed the channel");
    }

    /**
     * A frame over the receiver's maximum (from a peer that allows more) closes the receiver with a
     * {@link ProtocolException}; what came before it is delivered, the oversized message is not.
     */
    @Test
    public void anOversizedFrameClosesTheReceiverWithAProtocolException() throws Exception {
        // Small enough that the whole oversized frame fits in any medium's buffer (an OS pipe holds 64 KiB): the
        // receiver stops reading when it refuses the frame, and the sender must not be left blocked.
        int small = 16 * 1024;
        ChannelPair pair = pair(small, 2 * small);
        Recorder atParent = start(pair.parent());
        start(pair.child());
        pair.child().send(ByteBuffer.wrap(pattern(100, 7)));
        pair.child().send(ByteBuffer.wrap(pattern(small + 1, 8)));
        assertArrayEquals(pattern(100, 7), atParent.next(), "the message before the oversized one");
        Throwable cause = atParent.awaitClose();
        assertInstanceOf(ProtocolException.class, cause, "why the parent's end closed");
        assertTrue(atParent.messages.isEmpty(), "the oversized message was delivered");
        assertEquals(1, atParent.closes.get(), "onClose calls");
    }

    /**
     * Four threads sending at once, released together from a barrier: every message arrives whole (never spliced
     * with another's), each thread's in its order, and the threads' sends really overlapped. A sender goes on past its
     * 400 messages until every sender has started: on a fast medium and few processors, 400 sends can be over
     * before the scheduler has run the last thread released.
     */
    @Test
    public void concurrentSendsNeverInterleave() throws Exception {
        int threads = 4;
        int perThread = 400;
        ChannelPair pair = pair(MAX, MAX);
        Recorder atChild = start(pair.child());
        start(pair.parent());
        CyclicBarrier barrier = new CyclicBarrier(threads);
        AtomicInteger started = new AtomicInteger();
        AtomicLong lastStart = new AtomicLong(Long.MIN_VALUE);
        AtomicLong firstEnd = new AtomicLong(Long.MAX_VALUE);
        int[] sent = new int[threads];
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                senders.add(executor.submit(() -> {
                    barrier.await(TckTimeouts.millis(20), TimeUnit.MILLISECONDS);
                    lastStart.accumulateAndGet(System.nanoTime(), Math::max);
                    started.incrementAndGet();
                    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TckTimeouts.millis(20));
                    int i = 0;
                    while (i < perThread || (started.get() < threads && System.nanoTime() < deadline)) {
                        pair.parent().send(ByteBuffer.wrap(tagged(thread, i++)));
                    }
                    sent[thread] = i;
                    firstEnd.accumulateAndGet(System.nanoTime(), Math::min);
                    return null;
                }));
            }
            for (Future<?> sender : senders) {
                sender.get(TckTimeouts.millis(60), TimeUnit.MILLISECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
        assertTrue(lastStart.get() < firstEnd.get(), "the senders did not overlap: one finished before the last"
                + " started, so interleaving was never tried");
        int total = 0;
        for (int count : sent) {
            total += count;
        }
        int[] nextOf = new int[threads];
        for (int received = 0; received < total; received++) {
            byte[] message = atChild.next();
            int thread = message[0];
            assertTrue(thread >= 0 && thread < threads, "message " + received + " has no sender's tag: spliced");
            int sequence = nextOf[thread]++;
            assertArrayEquals(tagged(thread, sequence), message, "message " + sequence + " of thread " + thread
                    + " (received " + received + "th) is not whole or not in its thread's order");
        }
    }

    /** Thread {@code thread}'s {@code sequence}th message: its size varies, and every byte names its sender. */
    private static byte[] tagged(int thread, int sequence) {
        byte[] bytes = pattern(1 + (sequence * 997 + thread * 131) % 9000, sequence);
        bytes[0] = (byte) thread;
        return bytes;
    }

    /**
     * Closing one end, from three threads at once, gives each side exactly one {@code onClose}, with a null cause
     * (an orderly close), and nothing after it; a send on a closed end throws {@link IOException}.
     */
    @Test
    public void onCloseIsCalledExactlyOnceOnEachSide() throws Exception {
        ChannelPair pair = pair(MAX, MAX);
        Recorder atParent = start(pair.parent());
        Recorder atChild = start(pair.child());
        pair.parent().send(ByteBuffer.wrap(pattern(10, 3)));
        assertArrayEquals(pattern(10, 3), atChild.next());
        CyclicBarrier barrier = new CyclicBarrier(3);
        ExecutorService executor = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> closers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                closers.add(executor.submit(() -> {
                    barrier.await(TckTimeouts.millis(20), TimeUnit.MILLISECONDS);
                    pair.parent().close();
                    return null;
                }));
            }
            for (Future<?> closer : closers) {
                closer.get(TckTimeouts.millis(20), TimeUnit.MILLISECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
        assertNull(atParent.awaitClose(), "the closing side's cause");
        assertNull(atChild.awaitClose(), "the peer's cause: the close was orderly");
        pair.child().close();
        assertThrows(IOException.class, () -> pair.parent().send(ByteBuffer.wrap(pattern(10, 4))));
        Thread.sleep(200); // a late second onClose, if the channel has one, comes now
        assertEquals(1, atParent.closes.get(), "onClose calls on the side closed three times");
        assertEquals(1, atChild.closes.get(), "onClose calls on the peer");
        assertEquals(0, atParent.afterClose.get() + atChild.afterClose.get(), "messages delivered after onClose");
    }

    /** An end closed before it was started reports the close when started (once), and its peer sees it. */
    @Test
    public void anEndClosedBeforeStartReportsItsCloseOnStart() throws Exception {
        ChannelPair pair = pair(MAX, MAX);
        Recorder atChild = start(pair.child());
        pair.parent().close();
        Recorder atParent = start(pair.parent());
        atParent.awaitClose();
        atChild.awaitClose();
        Thread.sleep(200);
        assertEquals(1, atParent.closes.get(), "onClose calls on the end closed before start");
        assertEquals(1, atChild.closes.get(), "onClose calls on its peer");
        assertTrue(atParent.messages.isEmpty(), "messages on an end closed before start");
    }

    /** What the peer sent before an end was started is kept for it, in order. */
    @Test
    public void messagesSentBeforeStartAreDeliveredOnStart() throws Exception {
        ChannelPair pair = pair(MAX, MAX);
        start(pair.child());
        for (int i = 0; i < 5; i++) {
            pair.child().send(ByteBuffer.wrap(pattern(50 + i, i)));
        }
        Thread.sleep(100); // let them reach the parent's side before it starts
        Recorder atParent = start(pair.parent());
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(pattern(50 + i, i), atParent.next(), "message " + i + " sent before start");
        }
    }
}
