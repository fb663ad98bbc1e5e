package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.ChannelClosedException;
import dev.multiproc.ChildProcess;
import dev.multiproc.Connection;
import dev.multiproc.Listener;
import dev.multiproc.Multiproc;
import dev.multiproc.Pipe;
import dev.multiproc.Queue;
import dev.multiproc.SharedBarrier;
import dev.multiproc.SharedInt;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Connection#wait(Collection, long, TimeUnit)} (Python's
 * {@code multiprocessing.connection.wait}) over the transport's pipes, in the parent and in a child, and over pipe
 * ends and listener connections mixed: it returns exactly the connections that are ready, a closed end counts as
 * ready, and a timeout returns nothing in about the timeout.
 */
public abstract class ConnectionWaitContract extends TransportContract {
    private static final int PIPES = 4;

    /** For a transport's subclass, which JUnit instantiates. */
    protected ConnectionWaitContract() {
    }

    /**
     * The wait under test: {@link Connection#wait(Collection, long, TimeUnit)}. Overridden only by the tck's own
     * tests, with a broken wait that the contract must catch.
     *
     * @param connections the connections
     * @param timeout how long to wait
     * @param unit its unit
     * @param <C> their type
     * @return the ready ones
     * @throws InterruptedException if interrupted
     */
    protected <C extends Connection<?>> List<C> waitFor(Collection<? extends C> connections, long timeout,
            TimeUnit unit) throws InterruptedException {
        return Connection.wait(connections, timeout, unit);
    }

    private List<Pipe<String>> pipes() {
        List<Pipe<String>> pipes = new ArrayList<>();
        for (int i = 0; i < PIPES; i++) {
            pipes.add(context.pipe());
        }
        return pipes;
    }

    private static List<Connection<String>> lefts(List<Pipe<String>> pipes) {
        List<Connection<String>> lefts = new ArrayList<>();
        for (Pipe<String> pipe : pipes) {
            lefts.add(pipe.left());
        }
        return lefts;
    }

    private static List<Connection<String>> rights(List<Pipe<String>> pipes) {
        List<Connection<String>> rights = new ArrayList<>();
        for (Pipe<String> pipe : pipes) {
            rights.add(pipe.right());
        }
        return rights;
    }

    /** The child's side: for each index it takes from {@code which}, sends on that pipe; -1 ends. */
    static void sendOnRequest(Queue<Integer> which, List<Connection<String>> ends) throws InterruptedException {
        for (int i = which.get(); i >= 0; i = which.get()) {
            ends.get(i).send("message " + i);
        }
    }

    /**
     * A child sends on one pipe of four at a time, and each wait in the parent returns exactly that pipe's end;
     * after the message is received, a wait that only checks returns nothing.
     */
    @Test
    public void waitReturnsExactlyThePipeAChildSentOn() {
        within(60, "waits on four pipes", () -> {
            List<Pipe<String>> pipes = pipes();
            List<Connection<String>> lefts = lefts(pipes);
            List<Connection<String>> rights = rights(pipes);
            Queue<Integer> which = context.queue();
            ChildProcess child = context.process(() -> sendOnRequest(which, rights)).start();
            for (int i : new int[] {2, 0, 3, 1, 2}) {
                which.put(i);
                List<Connection<String>> ready = waitFor(lefts, TckTimeouts.millis(20), TimeUnit.MILLISECONDS);
                assertEquals(List.of(lefts.get(i)), ready, "wait returned " + ready + ", but only pipe " + i
                        + " had a message");
                assertEquals("message " + i, lefts.get(i).recv());
                assertEquals(List.of(), waitFor(lefts, 0, TimeUnit.MILLISECONDS), "wait found a message after the"
                        + " only one was received");
            }
            which.put(-1);
            child.join();
            assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            return null;
        });
    }

    /** With nothing sent, a wait returns an empty list after about its timeout; a timeout of 0 returns at once. */
    @Test
    public void waitTimesOutEmptyAfterAboutTheTimeout() {
        within(30, "a wait that times out", () -> {
            List<Connection<String>> lefts = lefts(pipes());
            long start = System.nanoTime();
            assertEquals(List.of(), waitFor(lefts, 0, TimeUnit.MILLISECONDS));
            List<Connection<String>> ready = waitFor(lefts, 300, TimeUnit.MILLISECONDS);
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(List.of(), ready, "nothing was sent, yet wait returned " + ready);
            assertTrue(elapsedMillis >= 300, "wait returned after " + elapsedMillis + " ms, before its timeout");
            assertTrue(elapsedMillis < 300 + TckTimeouts.millis(3), "wait returned " + elapsedMillis
                    + " ms after it started, long after its 300 ms timeout");
            return null;
        });
    }

    /**
     * An end whose other end a child closed counts as ready (Python's wait returns a connection at end of file):
     * the wait returns it, and its {@code recv} throws ChannelClosedException.
     */
    @Test
    public void anEndWhoseOtherEndClosedCountsAsReady() {
        within(30, "a wait on a closed pipe", () -> {
            List<Pipe<String>> pipes = pipes();
            List<Connection<String>> lefts = lefts(pipes);
            Connection<String> closing = pipes.get(1).right();
            ChildProcess child = context.process(closing::close).start();
            List<Connection<String>> ready = waitFor(lefts, TckTimeouts.millis(20), TimeUnit.MILLISECONDS);
            assertEquals(List.of(lefts.get(1)), ready, "wait returned " + ready + ", but only pipe 1 was closed");
            assertThrows(ChannelClosedException.class, () -> lefts.get(1).recv());
            child.join();
            return null;
        });
    }

    /** The child's side of {@link #waitInAChildSeesThePipeTheParentSentOn}: reports the index of each ready end. */
    static void reportReady(List<Connection<String>> ends, Queue<Integer> report) throws InterruptedException {
        List<Connection<String>> ready = Connection.wait(ends, TckTimeouts.millis(20), TimeUnit.MILLISECONDS);
        for (Connection<String> end : ready) {
            report.put(ends.indexOf(end));
        }
        report.put(-1);
    }

    /** A wait in a child, over the ends it holds, returns the one end the parent sent on. */
    @Test
    public void waitInAChildSeesThePipeTheParentSentOn() {
        within(60, "a wait in a child", () -> {
            List<Pipe<String>> pipes = pipes();
            List<Connection<String>> lefts = lefts(pipes);
            Queue<Integer> report = context.queue();
            ChildProcess child = context.process(() -> reportReady(lefts, report)).start();
            pipes.get(2).right().send("to the child");
            List<Integer> reported = new ArrayList<>();
            for (int i = report.get(); i >= 0; i = report.get()) {
                reported.add(i);
            }
            assertEquals(List.of(2), reported, "the child's wait returned other ends than the one sent on");
            child.join();
            assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            assertEquals("to the child", pipes.get(2).left().recv(), "the child's wait consumed the message");
            return null;
        });
    }

    /** The child's side of {@link #pipeEndsAndListenerConnectionsMixInOneWait}. */
    static void sendOnBoth(SocketAddress address, byte[] key, Connection<String> pipeEnd, Queue<Integer> go)
            throws Exception {
        try (Connection<String> connection = Multiproc.connect(address, key)) {
            go.get();
            connection.send("over the connection");
            go.get();
            pipeEnd.send("over the pipe");
            go.get();
        }
    }

    /**
     * One wait over this transport's pipe ends and a connection a child made to a listener in the parent returns
     * whichever of them has a message, each in turn.
     */
    @Test
    public void pipeEndsAndListenerConnectionsMixInOneWait() {
        within(60, "a wait over mixed connections", () -> {
            byte[] key = "a key for the mixed wait".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            try (Listener listener = Multiproc.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    key)) {
                List<Pipe<String>> pipes = pipes();
                Queue<Integer> go = context.queue();
                SocketAddress address = listener.address();
                Connection<String> childEnd = pipes.get(3).right();
                ChildProcess child = context.process(() -> sendOnBoth(address, key, childEnd, go)).start();
                Connection<String> accepted = listener.accept(TckTimeouts.millis(30), TimeUnit.MILLISECONDS);
                List<Connection<String>> all = new ArrayList<>(lefts(pipes));
                all.add(1, accepted);
                go.put(1);
                assertEquals(List.of(accepted), waitFor(all, TckTimeouts.millis(20), TimeUnit.MILLISECONDS));
                assertEquals("over the connection", accepted.recv());
                go.put(2);
                assertEquals(List.of(pipes.get(3).left()), waitFor(all, TckTimeouts.millis(20),
                        TimeUnit.MILLISECONDS));
                assertEquals("over the pipe", pipes.get(3).left().recv());
                go.put(3);
                assertEquals(List.of(accepted), waitFor(all, TckTimeouts.millis(20), TimeUnit.MILLISECONDS),
                        "the connection the child closed did not count as ready");
                assertThrows(ChannelClosedException.class, accepted::recv);
                child.join();
                assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            }
            return null;
        });
    }

    /** One of the senders of {@link #aWaitLoopReceivesEverythingFromSendersThatOverlap}. */
    static void sendMany(SharedBarrier start, SharedInt started, SharedInt finished, SharedInt firstSawStarted,
            Connection<String> end, int index, int count) throws Exception {
        start.await();
        started.incrementAndGet();
        for (int i = 0; i < count; i++) {
            end.send(index + ":" + i);
        }
        int seen = started.get();
        if (finished.getAndIncrement() == 0) {
            firstSawStarted.set(seen);
        }
        end.close();
    }

    /**
     * Three children released at once by a barrier send on three pipes while the parent loops on wait and receives
     * from what it returns: every message arrives once and in order per pipe, and every end is reported closed. The
     * first sender to finish saw all three started, so the senders overlapped.
     */
    @Test
    public void aWaitLoopReceivesEverythingFromSendersThatOverlap() {
        int senders = 3;
        int count = 2000;
        within(90, "a wait loop over three senders", () -> {
            List<Pipe<String>> pipes = new ArrayList<>(pipes().subList(0, senders));
            SharedBarrier start = context.barrier(senders);
            SharedInt started = context.sharedInt(0);
            SharedInt finished = context.sharedInt(0);
            SharedInt firstSawStarted = context.sharedInt(0);
            List<ChildProcess> children = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                Connection<String> end = pipes.get(s).right();
                int index = s;
                children.add(context.process(() -> sendMany(start, started, finished, firstSawStarted, end, index,
                        count)).start());
            }
            List<Connection<String>> open = new ArrayList<>(lefts(pipes));
            Map<Connection<String>, Integer> next = new HashMap<>();
            while (!open.isEmpty()) {
                for (Connection<String> ready : waitFor(open, TckTimeouts.millis(30), TimeUnit.MILLISECONDS)) {
                    int index = lefts(pipes).indexOf(ready);
                    try {
                        String message = ready.recv();
                        int expected = next.merge(ready, 1, Integer::sum) - 1;
                        assertEquals(index + ":" + expected, message, "a message lost, repeated or out of order");
                    } catch (ChannelClosedException closed) {
                        open.remove(ready);
                    }
                }
            }
            for (int s = 0; s < senders; s++) {
                assertEquals(count, next.getOrDefault(pipes.get(s).left(), 0), "messages from sender " + s);
            }
            for (ChildProcess child : children) {
                child.join();
                assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            }
            assertEquals(senders, firstSawStarted.get(), "the senders did not overlap: the test proves nothing");
            return null;
        });
    }
}
