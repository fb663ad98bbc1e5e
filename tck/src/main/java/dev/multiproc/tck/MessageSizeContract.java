package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.Pipe;
import dev.multiproc.Pool;
import dev.multiproc.Queue;
import dev.multiproc.ResultIterator;
import dev.multiproc.TaskFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Messages over the limit (issue 11, items 8 to 11): whatever is too large is refused where it is made, with an
 * exception that says so, and the pool, queue or pipe goes on working. Each test runs in a context whose maximum is
 * 1 MiB ({@code Multiproc.contextBuilder().maxMessageSize}), so that "too large" costs megabytes, not gigabytes.
 */
public abstract class MessageSizeContract extends TransportContract {
    private static final int LIMIT = 1 << 20;

    /** The test's own context, with the small limit. */
    private Context small;

    /** For a transport's subclass, which JUnit instantiates. */
    protected MessageSizeContract() {
    }

    /** Opens the test's context with a 1 MiB limit. */
    @BeforeEach
    void openSmallContext() {
        small = Multiproc.contextBuilder().transport(transportName()).maxMessageSize(LIMIT).build();
    }

    /** Closes it, within a deadline. */
    @AfterEach
    void closeSmallContext() {
        Context closing = small;
        if (closing == null) {
            return;
        }
        within(30, "closing the small context", () -> {
            closing.close();
            return null;
        });
    }

    static long pid(int ignored) {
        return ProcessHandle.current().pid();
    }

    private static void assertTooLarge(Throwable error) {
        assertTrue(String.valueOf(error.getMessage()).contains("exceeds the maximum"), () -> "the error does not"
                + " say the message is too large: " + error);
    }

    /**
     * Item 8: an argument over the limit is refused at submit, and the pool is unharmed: its worker runs the next
     * map, and {@code close()} returns.
     */
    @Test
    public void anArgumentOverTheLimitIsRefusedAtSubmitAndThePoolGoesOn() {
        within(60, "an oversized argument", () -> {
            Pool pool = small.pool(1);
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> pool.map(block -> block.length, List.of(new byte[2 * LIMIT])));
            assertTooLarge(refused);
            assertEquals(List.of(2, 3, 4), pool.map(x -> x + 1, List.of(1, 2, 3)));
            // imap encodes its chunks as workers need them: the oversized one fails alone, at its place
            ResultIterator<Integer> lazy = pool.imap(block -> block.length,
                    List.of(new byte[1], new byte[2 * LIMIT], new byte[3]), 1);
            assertEquals(1, lazy.next());
            assertTooLarge(assertThrows(IllegalArgumentException.class, lazy::next));
            assertEquals(3, lazy.next());
            assertEquals(List.of(2, 3, 4), pool.map(x -> x + 1, List.of(1, 2, 3)));
            pool.close();
            assertTrue(pool.isTerminated());
            return null;
        });
    }

    /**
     * Item 9: chunks that each fit are never batched into a message that does not. Two hundred tiny maps first, so
     * that the pool prefetches (batches) chunks; then eight chunks of 300 KiB, four of which in one batch would be
     * over the limit.
     */
    @Test
    public void batchingNeverMakesALegalChunkIllegal() {
        within(120, "batched large chunks", () -> {
            try (Pool pool = small.pool(1)) {
                for (int i = 0; i < 200; i++) {
                    pool.map(x -> x + 1, IntStream.range(0, 8).boxed().toList(), 1);
                }
                List<byte[]> blocks = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    blocks.add(new byte[300 << 10]);
                }
                assertEquals(List.of(307200, 307200, 307200, 307200, 307200, 307200, 307200, 307200),
                        pool.map(block -> block.length, blocks, 1));
                assertEquals(List.of(1, 2), pool.map(x -> x + 1, List.of(0, 1)));
            }
            return null;
        });
    }

    /** Item 10: a result over the limit fails its task with the size error; the worker lives on. */
    @Test
    public void aResultOverTheLimitFailsItsTaskNotItsWorker() {
        within(60, "an oversized result", () -> {
            try (Pool pool = small.pool(1)) {
                long before = pool.apply(MessageSizeContract::pid, 0);
                TaskFailedException failure = assertThrows(TaskFailedException.class,
                        () -> pool.apply(size -> new byte[size], 2 * LIMIT));
                assertInstanceOf(IllegalArgumentException.class, failure.getCause());
                assertTooLarge(failure.getCause());
                assertEquals(before, pool.apply(MessageSizeContract::pid, 0), "the worker was replaced");
            }
            return null;
        });
    }

    /**
     * Item 11: a queue element or a pipe message over the limit is refused by {@code put} or {@code send} in any
     * process, and what follows it arrives.
     */
    @Test
    public void aQueueElementOrPipeMessageOverTheLimitIsRefusedWhereItIsPut() {
        within(60, "an oversized element", () -> {
            Queue<byte[]> queue = small.queue();
            Pipe<byte[]> pipe = small.pipe();
            assertTooLarge(assertThrows(IllegalArgumentException.class, () -> queue.put(new byte[2 * LIMIT])));
            assertTooLarge(assertThrows(IllegalArgumentException.class,
                    () -> pipe.left().sendBytes(new byte[2 * LIMIT])));
            queue.put(new byte[] {1});
            pipe.left().sendBytes(new byte[] {2});
            ChildProcess child = small.process(() -> {
                if (queue.get(TckTimeouts.millis(20), TimeUnit.MILLISECONDS)[0] != 1
                        || pipe.right().recvBytes()[0] != 2) {
                    throw new AssertionError("wrong element");
                }
                try {
                    queue.put(new byte[2 * LIMIT]);
                    throw new AssertionError("a child's oversized put was accepted");
                } catch (IllegalArgumentException expected) {
                    // refused in the child too
                }
                try {
                    pipe.right().sendBytes(new byte[2 * LIMIT]);
                    throw new AssertionError("a child's oversized send was accepted");
                } catch (IllegalArgumentException expected) {
                    // refused in the child too
                }
                queue.put(new byte[] {3});
            }).start();
            child.join();
            assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            assertEquals(3, queue.get(TckTimeouts.millis(20), TimeUnit.MILLISECONDS)[0]);
            return null;
        });
    }
}
