package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.ChannelClosedException;
import dev.multiproc.ChildProcess;
import dev.multiproc.Connection;
import dev.multiproc.Pipe;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Pipe and Connection across processes. */
public abstract class PipeContract extends TransportContract {

    static void echo(Connection<String> end) throws InterruptedException {
        try {
            while (true) {
                end.send("echo:" + end.recv());
            }
        } catch (ChannelClosedException done) {
            end.close();
        }
    }

    /** A duplex pipe carries messages both ways. */
    @Test
    public void duplexPipeCarriesBothWays() {
        within(60, "duplex pipe", () -> {
            Pipe<String> pipe = context.pipe();
            Connection<String> childEnd = pipe.right();
            ChildProcess child = context.process(() -> echo(childEnd)).start();
            for (String word : new String[] {"a", "bb", "ccc"}) {
                pipe.left().send(word);
                assertEquals("echo:" + word, pipe.left().recv());
            }
            pipe.left().close();
            child.join();
            assertEquals(0, child.exitCode().getAsInt());
            return null;
        });
    }

    /** A one-way pipe sends from right to left only. */
    @Test
    public void oneWayPipeSendsRightToLeftOnly() {
        within(60, "one-way pipe", () -> {
            Pipe<Integer> pipe = context.pipe(false);
            assertTrue(pipe.left().canReceive());
            assertFalse(pipe.left().canSend());
            assertTrue(pipe.right().canSend());
            assertFalse(pipe.right().canReceive());
            assertThrows(UnsupportedOperationException.class, () -> pipe.left().send(1));
            assertThrows(UnsupportedOperationException.class, () -> pipe.right().recv());
            Connection<Integer> writer = pipe.right();
            ChildProcess child = context.process(() -> writer.send(99)).start();
            assertEquals(99, pipe.left().recv());
            child.join();
            return null;
        });
    }

    /** Byte messages pass whole and apart from object messages. */
    @Test
    public void byteMessagesPassWholeAndApart() {
        within(60, "byte messages", () -> {
            Pipe<String> pipe = context.pipe();
            Connection<String> childEnd = pipe.right();
            ChildProcess child = context.process(() -> {
                childEnd.sendBytes(new byte[] {1, 2, 3, 4, 5}, 1, 3);
                childEnd.send("then an object");
            }).start();
            assertThrows(IllegalStateException.class, () -> pipe.left().recv());
            assertArrayEquals(new byte[] {2, 3, 4}, pipe.left().recvBytes());
            assertEquals("then an object", pipe.left().recv());
            child.join();
            return null;
        });
    }

    /** poll waits for a message with a timeout. */
    @Test
    public void pollWaitsForAMessage() {
        within(30, "poll", () -> {
            Pipe<String> pipe = context.pipe();
            assertFalse(pipe.left().poll(50, TimeUnit.MILLISECONDS));
            assertFalse(pipe.left().poll(0, TimeUnit.MILLISECONDS));
            pipe.right().send("here");
            assertTrue(pipe.left().poll(5, TimeUnit.SECONDS));
            assertEquals("here", pipe.left().recv());
            return null;
        });
    }

    /** After the other end closes, what it sent is still received, then the close is reported. */
    @Test
    public void closeDeliversWhatWasSentThenReportsClosed() {
        within(60, "close", () -> {
            Pipe<String> pipe = context.pipe();
            Connection<String> childEnd = pipe.right();
            ChildProcess child = context.process(() -> {
                childEnd.send("last words");
                childEnd.close();
            }).start();
            child.join();
            assertEquals("last words", pipe.left().recv());
            assertThrows(ChannelClosedException.class, () -> pipe.left().recv());
            assertTrue(pipe.left().poll(0, TimeUnit.MILLISECONDS), "poll must not block on a closed pipe");
            assertThrows(ChannelClosedException.class, () -> pipe.left().send("nobody listens"));
            return null;
        });
    }

    /** Ten thousand messages keep their order. */
    @Test
    public void manyMessagesKeepTheirOrder() {
        within(120, "10,000 messages", () -> {
            Pipe<Integer> pipe = context.pipe(false);
            Connection<Integer> writer = pipe.right();
            ChildProcess child = context.process(() -> {
                for (int i = 0; i < 10_000; i++) {
                    writer.send(i);
                }
            }).start();
            for (int i = 0; i < 10_000; i++) {
                assertEquals(i, pipe.left().recv());
            }
            child.join();
            return null;
        });
    }
}
