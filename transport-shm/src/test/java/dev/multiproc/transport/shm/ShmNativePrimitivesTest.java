package dev.multiproc.transport.shm;

import static org.junit.jupiter.api.Assertions.*;

import dev.multiproc.ChannelClosedException;
import dev.multiproc.ChildProcess;
import dev.multiproc.Connection;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.Pipe;
import dev.multiproc.SharedEvent;
import dev.multiproc.tck.TckTimeouts;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What is special to the shm transport's own primitives: they are native, and they fail cleanly. */
@Timeout(120)
class ShmNativePrimitivesTest {
    private Context context;

    @BeforeEach
    void open() {
        context = Multiproc.context("shm");
    }

    @AfterEach
    void close() {
        context.close();
    }

    static void echoBlocks(Connection<byte[]> end, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            end.sendBytes(end.recvBytes());
        }
    }

    static void receiveOnceThenHang(Connection<byte[]> end, SharedEvent received) throws InterruptedException {
        end.recvBytes();
        received.set();
        Thread.sleep(120_000);
    }

    @Test
    void sharedValuesLocksAndPipesAreNative() {
        assertTrue(context.sharedInt(0).toString().contains("shm"), context.sharedInt(0).toString());
        assertTrue(context.sharedLong(0).toString().contains("shm"));
        assertTrue(context.lock().toString().contains("shm"));
        assertTrue(context.pipe().left().toString().contains("shm pipe"));
    }

    @Test
    void megabyteBlocksCrossAPipeBothWaysIntact() throws Exception {
        Pipe<byte[]> pipe = context.pipe();
        ChildProcess echo = context.process(() -> echoBlocks(pipe.right(), 8)).start();
        for (int round = 0; round < 8; round++) {
            byte[] block = new byte[(1 << 20) + round];
            for (int i = 0; i < block.length; i++) {
                block[i] = (byte) (i * 7 + round);
            }
            pipe.left().sendBytes(block);
            assertArrayEquals(block, pipe.left().recvBytes(), "round " + round);
        }
        echo.join();
        assertEquals(0, echo.exitCode().getAsInt());
    }

    @Test
    void senderToAFullPipeWhoseReaderDiedFailsInsteadOfHanging() throws Exception {
        Pipe<byte[]> pipe = context.pipe();
        SharedEvent received = context.event();
        ChildProcess reader = context.process(() -> receiveOnceThenHang(pipe.right(), received)).start();
        pipe.left().sendBytes(new byte[1]);
        assertTrue(received.await(TckTimeouts.seconds(20).toMillis(), TimeUnit.MILLISECONDS));
        reader.kill();
        reader.join();
        ChannelClosedException failure = assertThrows(ChannelClosedException.class, () -> {
            for (int i = 0; i < 10_000; i++) {
                pipe.left().sendBytes(new byte[4096]);
            }
        });
        assertTrue(failure.getMessage().contains("has exited"), failure.getMessage());
    }

    @Test
    void aMessageOfTheOtherKindStaysInThePipe() throws Exception {
        Pipe<Object> pipe = context.pipe();
        pipe.right().sendBytes(new byte[] {1, 2});
        assertThrows(IllegalStateException.class, pipe.left()::recv);
        assertArrayEquals(new byte[] {1, 2}, pipe.left().recvBytes());
    }
}
