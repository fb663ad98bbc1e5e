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
import dev.multiproc.SharedEvent;
import dev.multiproc.SharedInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Pipe} and {@link Connection}: duplex and one-way pipes, byte messages, poll, close, and
 * order.
 */
public abstract class PipeContract extends TransportContract {
    private static final int MANY = 10_000;

    /** For a transport's subclass, which JUnit instantiates. */
    protected PipeContract() {
    }

    static void echo(Connection<String> end) throws InterruptedException {
        try {
            while (true) {
                end.send("echo:" + end.recv());
            }
        } catch (ChannelClosedException done) {
            end.close();
        }
    }

    static void sendAfter(SharedEvent go, Connection<String> end, String message) throws InterruptedException {
        go.await();
        end.send(message);
    }

    static void sendAndClose(Connection<String> end) {
        end.send("first");
        end.send("last words");
        end.close();
    }

    static void sendMany(Connection<Integer> end) {
        for (int i = 0; i < MANY; i++) {
            end.send(i);
        }
    }

    static void bytesThenObject(Connection<String> end) {
        end.sendBytes(new byte[] {1, 2, 3, 4, 5}, 1, 3);
        end.send("then an object");
        end.sendBytes(new byte[] {9, 8});
    }

    /** A duplex pipe carries messages from the parent to a child and back (the child echoes). */
    @Test
    public void duplexPipeCarriesBothWays() {
        within(30, "an echoing child", () -> {
            Pipe<String> pipe = context.pipe();
            assertTrue(pipe.left().canSend() && pipe.left().canReceive());
            assertTrue(pipe.right().canSend() && pipe.right().canReceive());
            Connection<String> childEnd = pipe.right();
            ChildProcess child = context.process(() -> echo(childEnd)).start();
            for (String word : new String[] {"a", "bb", "", "ccc \u00e9\u4e2d"}) {
                pipe.left().send(word);
                assertEquals("echo:" + word, pipe.left().recv());
            }
            pipe.left().close();
            child.join();
            assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            return null;
        });
    }

    /**
     * A one-way pipe sends from right to left only: the right end (in a child) sends, the left receives, and the
     * left end's {@code send} throws UnsupportedOperationException.
     */
    @Test
    public void oneWayPipeSendsRightToLeftOnly() {
        within(30, "a one-way pipe", () -> {
            Pipe<Integer> pipe = context.pipe(false);
            assertTrue(pipe.left().canReceive());
            assertFalse(pipe.left().canSend());
            assertTrue(pipe.right().canSend());
            assertFalse(pipe.right().canReceive());
            assertThrows(UnsupportedOperationException.class, () -> pipe.left().send(1));
            Connection<Integer> writer = pipe.right();
            ChildProcess child = context.process(() -> writer.send(99)).start();
            assertEquals(99, pipe.left().recv());
            child.join();
            assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            return null;
        });
    }

    /**
     * Byte messages pass whole; {@code recv()} when the next message is bytes throws IllegalStateException and
     * leaves it to {@code recvBytes()}; {@code recvBytes()} when the next is an object throws the same way.
     */
    @Test
    public void byteMessagesPassWholeAndApartFromObjects() {
        within(30, "byte messages", () -> {
            Pipe<String> pipe = context.pipe();
            Connection<String> childEnd = pipe.right();
            ChildProcess child = context.process(() -> bytesThenObject(childEnd)).start();
            Connection<String> left = pipe.left();
            assertThrows(IllegalStateException.class, left::recv);
            assertArrayEquals(new byte[] {2, 3, 4}, left.recvBytes());
            assertThrows(IllegalStateException.class, left::recvBytes);
            assertEquals("then an object", left.recv());
            assertArrayEquals(new byte[] {9, 8}, left.recvBytes());
            child.join();
            assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            return null;
        });
    }

    /** {@code poll(50 ms)} is false while nothing was sent and true once the peer (a child) has sent. */
    @Test
    public void pollIsFalseOnEmptyAndTrueAfterThePeerSends() {
        within(30, "poll", () -> {
            Pipe<String> pipe = context.pipe();
            SharedEvent go = context.event();
            Connection<String> childEnd = pipe.right();
            ChildProcess child = context.process(() -> sendAfter(go, childEnd, "here")).start();
            assertFalse(pipe.left().poll(50, TimeUnit.MILLISECONDS));
            assertFalse(pipe.left().poll(0, TimeUnit.MILLISECONDS));
            go.set();
            assertTrue(pipe.left().poll(TckTimeouts.seconds(20).toMillis(), TimeUnit.MILLISECONDS));
            assertTrue(pipe.left().poll(0, TimeUnit.MILLISECONDS), "poll must not consume the message");
            assertEquals("here", pipe.left().recv());
            child.join();
            return null;
        });
    }

    /**
     * When a child closes its end, the parent receives everything it sent, then ChannelClosedException; poll does
     * not block on the closed pipe, and sending to it throws ChannelClosedException.
     */
    @Test
    public void closeDeliversWhatWasSentThenReportsClosed() {
        within(30, "a closed pipe", () -> {
            Pipe<String> pipe = context.pipe();
            Connection<String> childEnd = pipe.right();
            ChildProcess child = context.process(() -> sendAndClose(childEnd)).start();
            child.join();
            assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            assertEquals("first", pipe.left().recv());
            assertEquals("last words", pipe.left().recv());
            assertThrows(ChannelClosedException.class, () -> pipe.left().recv());
            assertThrows(ChannelClosedException.class, () -> pipe.left().recv());
            assertTrue(pipe.left().poll(0, TimeUnit.MILLISECONDS), "poll must not block on a closed pipe");
            assertThrows(ChannelClosedException.class, () -> pipe.left().send("nobody listens"));
            return null;
        });
    }

    /**
     * A child that used an end and exited leaves the end open, with what was sent to it (issue 11, item 4): the
     * parent sends on the right end, a child polls the left end and exits without receiving, and the parent then
     * receives the message on the left end. A process's exit closes nothing; only {@code close()} does.
     */
    @Test
    public void anEndAChildUsedAndLeftStaysOpenWithWhatWasSentToIt() {
        within(30, "an end a child used", () -> {
            Pipe<String> pipe = context.pipe();
            Connection<String> childEnd = pipe.left();
            pipe.right().send("first");
            ChildProcess child = context.process(() -> {
                if (!childEnd.poll(TckTimeouts.seconds(20).toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("the child never saw the message");
                }
            }).start();
            child.join();
            assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            assertTrue(pipe.left().poll(TckTimeouts.seconds(10).toMillis(), TimeUnit.MILLISECONDS),
                    "the message sent to the end the child polled is gone");
            assertEquals("first", pipe.left().recv());
            pipe.right().send("second");
            assertEquals("second", pipe.left().recv());
            return null;
        });
    }

    /** Spins until {@code value} exceeds {@code floor}, failing if {@code child}, which moves it, has died first. */
    private static void awaitAbove(SharedInt value, int floor, ChildProcess child) {
        while (value.get() <= floor) {
            assertTrue(child.isAlive() || value.get() > floor, () -> "child failed: " + child.failure());
            Thread.onSpinWait();
        }
    }

    /**
     * {@code poll(0)} sees every message sent before it (issue 11, item 5): by this process on the other end, by a
     * child that sent and then said so through a shared value, and by the parent to a child the same way.
     */
    @Test
    public void pollSeesWhatWasSentBeforeIt() {
        within(60, "poll after send", () -> {
            Pipe<Object> pipe = context.pipe();
            for (int i = 0; i < 200; i++) {
                pipe.right().sendBytes(new byte[] {(byte) i});
                assertTrue(pipe.left().poll(0, TimeUnit.MILLISECONDS), "poll(0) missed a message sent by this"
                        + " process just before it (round " + i + ")");
                assertArrayEquals(new byte[] {(byte) i}, pipe.left().recvBytes());
            }
            Pipe<Object> fromChild = context.pipe();
            Connection<Object> childEnd = fromChild.right();
            SharedInt sent = context.sharedInt(0);
            SharedInt seen = context.sharedInt(0);
            int rounds = 50;
            ChildProcess child = context.process(() -> {
                for (int i = 0; i < rounds; i++) {
                    childEnd.send(i);
                    sent.set(i + 1);
                    while (seen.get() <= i) {
                        Thread.onSpinWait();
                    }
                }
            }).start();
            for (int i = 0; i < rounds; i++) {
                awaitAbove(sent, i, child);
                assertTrue(fromChild.left().poll(0, TimeUnit.MILLISECONDS), "poll(0) missed a message a child sent"
                        + " before it said so (round " + i + ")");
                assertEquals(i, fromChild.left().recv());
                seen.set(i + 1);
            }
            child.join();
            assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());

            // and the other way: the parent sends, says so through a shared value, and the child polls
            Pipe<Object> toChild = context.pipe();
            Connection<Object> receiving = toChild.right();
            SharedInt announced = context.sharedInt(0);
            SharedInt taken = context.sharedInt(0);
            int toChildRounds = 300;
            ChildProcess poller = context.process(() -> {
                for (int i = 0; i < toChildRounds; i++) {
                    while (announced.get() <= i) {
                        Thread.onSpinWait();
                    }
                    if (!receiving.poll(0, TimeUnit.MILLISECONDS)) {
                        throw new AssertionError("poll(0) in a child missed a message the parent sent before it"
                                + " said so (round " + i + ")");
                    }
                    if (!Integer.valueOf(i).equals(receiving.recv())) {
                        throw new AssertionError("wrong message in round " + i);
                    }
                    taken.set(i + 1);
                }
            }).start();
            for (int i = 0; i < toChildRounds; i++) {
                toChild.left().send(i);
                announced.set(i + 1);
                awaitAbove(taken, i, poller);
            }
            poller.join();
            assertEquals(0, poller.exitCode().getAsInt(), () -> "child failed: " + poller.failure());
            return null;
        });
    }

    /**
     * A receiver killed with SIGKILL mid-stream loses nothing: whoever takes up its end next receives the rest, in
     * order, from the one after the last the dead receiver recorded (or the one after that, if a receive had
     * returned it to code that died before recording it). Everything is sent before the receiver starts, so that
     * as much as possible is on its way to it when it dies.
     */
    @Test
    public void aReceiverKilledMidStreamLosesNothing() {
        within(90, "a receiver killed mid-stream", () -> {
            int count = 20_000;
            Pipe<Integer> pipe = context.pipe();
            for (int i = 0; i < count; i++) {
                pipe.left().send(i);
            }
            Connection<Integer> childEnd = pipe.right();
            SharedInt lastSeen = context.sharedInt(-1);
            ChildProcess receiver = context.process(() -> {
                while (true) {
                    lastSeen.set(childEnd.recv());
                }
            }).start();
            while (lastSeen.get() < 2_000) {
                assertTrue(receiver.isAlive(), () -> "the receiver failed: " + receiver.failure());
                Thread.onSpinWait();
            }
            receiver.kill();
            receiver.join();
            int last = lastSeen.get();
            assertTrue(last < count - 1, "the receiver got everything before it died; nothing was tested");
            assertTrue(pipe.right().poll(TckTimeouts.seconds(10).toMillis(), TimeUnit.MILLISECONDS), "after "
                    + last + ", everything still on its way to the dead receiver is lost");
            int next = pipe.right().recv();
            assertTrue(next == last + 1 || next == last + 2, "after " + last + ", the next message is " + next
                    + ": " + (next - last - 1) + " lost with the dead receiver");
            for (int i = next + 1; i < count; i++) {
                assertEquals(i, pipe.right().recv());
            }
            assertFalse(pipe.right().poll(0, TimeUnit.MILLISECONDS), "nothing twice");
            return null;
        });
    }

    /** Ten thousand messages from a child arrive in the order they were sent. */
    @Test
    public void tenThousandMessagesKeepTheirOrder() {
        within(60, "10,000 messages", () -> {
            Pipe<Integer> pipe = context.pipe(false);
            Connection<Integer> writer = pipe.right();
            ChildProcess child = context.process(() -> sendMany(writer)).start();
            for (int i = 0; i < MANY; i++) {
                assertEquals(i, pipe.left().recv());
            }
            child.join();
            assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            return null;
        });
    }
}
