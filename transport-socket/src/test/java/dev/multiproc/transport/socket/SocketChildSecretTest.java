package dev.multiproc.transport.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.SharedInt;
import dev.multiproc.tck.TckTimeouts;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The context's key reaches a spawned child as its attachment's secret (core writes it on the child's stdin), and
 * nowhere that another user of the machine can read: not on the child's command line.
 */
@Timeout(120)
class SocketChildSecretTest {

    static void waitUntilReleased(SharedInt gate) throws InterruptedException {
        gate.set(1);
        while (gate.get() != 2) {
            Thread.sleep(5);
        }
    }

    @Test
    void theKeyIsNotOnTheChildsCommandLineAndTheChildAuthenticatesWithIt() throws InterruptedException {
        SocketTestTransport.Opened opened = SocketTestTransport.open("127.0.0.1", null);
        try (Context context = opened.context()) {
            String key = HexFormat.of().formatHex(opened.parent().key());
            SharedInt gate = context.sharedInt(0);
            ChildProcess child = context.process(() -> waitUntilReleased(gate)).start();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TckTimeouts.millis(30_000));
            while (gate.get() != 1) {
                assertTrue(System.nanoTime() < deadline && child.isAlive(), "the child did not connect and run");
                Thread.sleep(5);
            }
            String commandLine = ProcessHandle.of(child.pid()).orElseThrow().info().commandLine().orElseThrow();
            assertTrue(commandLine.contains("ChildMain"), commandLine);
            assertFalse(commandLine.toLowerCase(Locale.ROOT).contains(key), "the key is on the child's command line: "
                    + commandLine);
            gate.set(2);
            child.join();
            assertEquals(0, child.exitCode().getAsInt());
        }
    }
}
