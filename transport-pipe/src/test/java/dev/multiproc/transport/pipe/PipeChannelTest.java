package dev.multiproc.transport.pipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.tck.TckTimeouts;
import dev.multiproc.ProtocolException;
import dev.multiproc.spi.MessageHandler;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pipe framing itself, over in-memory streams: what the tck cannot reach through a real child. */
class PipeChannelTest {
    private static final int MAX = 1 << 20;

    /** Collects what a channel delivers. */
    private static final class Recorder implements MessageHandler {
        final List<String> messages = new CopyOnWriteArrayList<>();
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();

        @Override
        public void onMessage(ByteBuffer message) {
            byte[] bytes = new byte[message.remaining()];
            message.get(bytes);
            messages.add(new String(bytes, StandardCharsets.UTF_8));
        }

        @Override
        public void onClose(Throwable cause) {
            closed.complete(cause);
        }
    }

    private static byte[] frames(String... messages) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PipeChannel writer = new PipeChannel(new ByteArrayInputStream(new byte[0]), out, MAX, "test", null);
        for (String message : messages) {
            writer.send(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)));
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static Recorder read(byte[] stream, List<String> stray) throws Exception {
        Recorder recorder = new Recorder();
        new PipeChannel(new BufferedInputStream(new ByteArrayInputStream(stream)), OutputStream.nullOutputStream(),
                MAX, "test", (bytes, length) -> stray.add(new String(bytes, 0, length, StandardCharsets.UTF_8)))
                .start(recorder);
        recorder.closed.get(TckTimeouts.millis(5), TimeUnit.MILLISECONDS);
        return recorder;
    }

    @Test
    void framesArriveWholeAndInOrderThenAnOrderlyClose() throws Exception {
        List<String> stray = new CopyOnWriteArrayList<>();
        Recorder recorder = read(frames("one", "", "three"), stray);
        assertEquals(List.of("one", "", "three"), recorder.messages);
        assertNull(recorder.closed.get());
        assertTrue(stray.isEmpty());
    }

    @Test
    void strayTextBetweenFramesIsPassedOnAsLinesAndSkipped() throws Exception {
        List<String> stray = new CopyOnWriteArrayList<>();
        byte[] stream = concat("JVM warning: something\n".getBytes(StandardCharsets.UTF_8), frames("a"),
                "partial line without newline".getBytes(StandardCharsets.UTF_8), frames("b"));
        Recorder recorder = read(stream, stray);
        assertEquals(List.of("a", "b"), recorder.messages);
        assertEquals(List.of("JVM warning: something\n", "partial line without newline"), stray);
        assertNull(recorder.closed.get());
    }

    @Test
    void oversizedFrameClosesTheChannelWithAProtocolException() throws Exception {
        byte[] header = new byte[PipeFrameDescriptor.HEADER_LENGTH];
        PipeFrameDescriptor.writeHeader(header, MAX + 1);
        Recorder recorder = read(concat(frames("before"), header), new CopyOnWriteArrayList<>());
        assertEquals(List.of("before"), recorder.messages);
        Throwable cause = recorder.closed.get();
        assertInstanceOf(ProtocolException.class, cause);
        assertTrue(cause.getMessage().contains("is over the maximum of " + MAX + " bytes"), cause.getMessage());
    }

    @Test
    void corruptHeaderClosesTheChannelWithAProtocolException() throws Exception {
        byte[] bad = {0, 'X', 'Y', 1, 0, 0, 0, 1, 42};
        Recorder recorder = read(bad, new CopyOnWriteArrayList<>());
        assertInstanceOf(ProtocolException.class, recorder.closed.get());
    }

    @Test
    void truncatedFrameIsReportedNotDelivered() throws Exception {
        byte[] whole = frames("complete message");
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 3);
        Recorder recorder = read(truncated, new CopyOnWriteArrayList<>());
        assertTrue(recorder.messages.isEmpty());
        assertInstanceOf(ProtocolException.class, recorder.closed.get());
    }

    @Test
    void sendRefusesAnOversizedMessageBeforeWritingAnything() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PipeChannel channel = new PipeChannel(new ByteArrayInputStream(new byte[0]), out, 16, "test", null);
        assertThrows(IllegalArgumentException.class, () -> channel.send(ByteBuffer.wrap(new byte[17])));
        assertArrayEquals(new byte[0], out.toByteArray());
    }

    /**
     * Both directions at full speed at once: what one side sends while its reader thread parses incoming frames
     * arrives intact (the send path and the read path once shared a header buffer, and corrupted each other).
     */
    @Test
    void sendingWhileReceivingCorruptsNeitherDirection() throws Exception {
        java.nio.channels.Pipe aToB = java.nio.channels.Pipe.open();
        java.nio.channels.Pipe bToA = java.nio.channels.Pipe.open();
        PipeChannel a = new PipeChannel(new BufferedInputStream(java.nio.channels.Channels.newInputStream(bToA.source())),
                new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(aToB.sink())), MAX, "b", null);
        PipeChannel b = new PipeChannel(new BufferedInputStream(java.nio.channels.Channels.newInputStream(aToB.source())),
                new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(bToA.sink())), MAX, "a", null);
        Recorder atA = new Recorder();
        Recorder atB = new Recorder();
        a.start(atA);
        b.start(atB);
        int count = 20_000;
        CompletableFuture<Void> fromB = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < count; i++) {
                    b.send(ByteBuffer.wrap(("b" + i + "x".repeat(i % 300)).getBytes(StandardCharsets.UTF_8)));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        for (int i = 0; i < count; i++) {
            a.send(ByteBuffer.wrap(("a" + i + "y".repeat(i % 300)).getBytes(StandardCharsets.UTF_8)));
        }
        fromB.get(TckTimeouts.millis(60), TimeUnit.MILLISECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((atA.messages.size() < count || atB.messages.size() < count) && System.nanoTime() < deadline
                && !atA.closed.isDone() && !atB.closed.isDone()) {
            Thread.onSpinWait();
        }
        assertEquals(count, atB.messages.size(), "B got " + atB.messages.size() + "; closed: " + atB.closed.getNow(null));
        assertEquals(count, atA.messages.size(), "A got " + atA.messages.size() + "; closed: " + atA.closed.getNow(null));
        for (int i = 0; i < count; i++) {
            assertEquals("a" + i + "y".repeat(i % 300), atB.messages.get(i));
            assertEquals("b" + i + "x".repeat(i % 300), atA.messages.get(i));
        }
        a.close();
        b.close();
    }
}
