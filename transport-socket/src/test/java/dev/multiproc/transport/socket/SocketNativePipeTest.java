package dev.multiproc.transport.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.ChannelClosedException;
import dev.multiproc.ChildProcess;
import dev.multiproc.Connection;
import dev.multiproc.Pipe;
import dev.multiproc.tck.TransportContract;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What is special to the socket transport's pipes: they are native (each end streams through its own connection,
 * not through hub calls), what an end sent survives its process, and a process that exits lets go of its end
 * without closing it (the tck pins what that means for receivers).
 */
class SocketNativePipeTest extends TransportContract {
    @Override
    protected String transportName() {
        return "socket";
    }

    static void sendThenExit(Connection<Integer> end, int count) {
        for (int i = 0; i < count; i++) {
            end.send(i);
        }
    }

    static void echoBlocks(Connection<byte[]> end, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            end.sendBytes(end.recvBytes());
        }
    }

    @Test
    void pipeEndsAreNative() {
        Pipe<String> pipe = context.pipe();
        assertTrue(pipe.left().toString().contains("socket pipe end"), pipe.left().toString());
    }

    @Test
    void whatAnExitedSenderSentArrivesAndItsEndStaysOpen() {
        within(60, "the messages of an exited sender", () -> {
            Pipe<Integer> pipe = context.pipe();
            ChildProcess sender = context.process(() -> sendThenExit(pipe.right(), 1000)).start();
            sender.join();
            assertEquals(0, sender.exitCode().getAsInt());
            for (int i = 0; i < 1000; i++) {
                assertEquals(i, pipe.left().recv());
            }
            assertFalse(pipe.left().poll(200, TimeUnit.MILLISECONDS), "the sender's exit closes nothing");
            pipe.right().send(1000); // the end is free for the next process that uses it
            assertEquals(1000, pipe.left().recv());
            pipe.right().close();
            assertThrows(ChannelClosedException.class, pipe.left()::recv, "closed: end-of-pipe");
            assertThrows(ChannelClosedException.class, () -> pipe.right().send(1), "this end is closed");
            return null;
        });
    }

    @Test
    void megabyteBlocksCrossBothWaysIntact() {
        within(60, "1 MiB blocks to a child and back", () -> {
            Pipe<byte[]> pipe = context.pipe();
            ChildProcess echo = context.process(() -> echoBlocks(pipe.right(), 8)).start();
            for (int round = 0; round < 8; round++) {
                byte[] block = new byte[(1 << 20) + round];
                for (int i = 0; i < block.length; i++) {
                    block[i] = (byte) (i * 13 + round);
                }
                pipe.left().sendBytes(block);
                assertArrayEquals(block, pipe.left().recvBytes(), "round " + round);
            }
            echo.join();
            assertEquals(0, echo.exitCode().getAsInt());
            return null;
        });
    }

    @Test
    void messagesSentBeforeTheReceiverExistsWaitForIt() {
        within(60, "messages sent before the receiving child started", () -> {
            Pipe<Integer> pipe = context.pipe();
            for (int i = 0; i < 100; i++) {
                pipe.left().send(i);
            }
            ChildProcess echo = context.process(() -> {
                for (int i = 0; i < 100; i++) {
                    pipe.right().send(pipe.right().recv() + 1);
                }
            }).start();
            for (int i = 0; i < 100; i++) {
                assertEquals(i + 1, pipe.left().recv());
            }
            echo.join();
            assertFalse(pipe.left().poll(200, TimeUnit.MILLISECONDS), "the echo's exit closes nothing");
            return null;
        });
    }
}
