package dev.multiproc.internal.embedded;

import dev.multiproc.Context;
import dev.multiproc.Multiproc;
import dev.multiproc.internal.Protocol;
import dev.multiproc.spi.ChildAttachment;
import dev.multiproc.spi.ChildEndpoint;
import dev.multiproc.spi.MessageChannel;
import dev.multiproc.spi.ParentTransport;
import dev.multiproc.spi.Transport;
import dev.multiproc.spi.TransportConfig;
import dev.multiproc.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An in-process test transport, as Netty's {@code EmbeddedChannel} is for handlers: the parent's side of core runs
 * for real (context, child links, pool scheduler, lazy jobs, hub), while each child is an {@link EmbeddedChild} that
 * the test plays, over an in-memory channel. No JVM is started: a child's process is a shell reading its stdin (the
 * lifeline), so exits, kills and start-up failures are real ones, in a millisecond.
 *
 * <pre>{@code
 * EmbeddedTransport embedded = new EmbeddedTransport();
 * try (Context context = embedded.context(); Pool pool = ...) {
 *     EmbeddedChild worker = embedded.nextChild();
 *     worker.startAsWorker();
 *     RunTask task = worker.nextTask();
 *     worker.answer(task, List.of(42));
 * }
 * }</pre>
 */
public final class EmbeddedTransport implements Transport {
    /** A child's stand-in process: it reads its stdin until the parent closes it, as a child's lifeline does. */
    private static final List<String> CHILD_COMMAND = List.of("sh", "-c", "exec cat > /dev/null", "embedded-child");

    private final LinkedBlockingQueue<EmbeddedChild> children = new LinkedBlockingQueue<>();
    private volatile int protocolVersion = Protocol.VERSION;
    private final java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
    private volatile int silentChild;

    /**
     * Makes one child stay silent: it is started, but never says Hello, as a child whose JVM is still starting.
     *
     * @param number the child, counting from 1 in the order the parent starts them
     */
    public void keepSilent(int number) {
        silentChild = number;
    }

    /**
     * Makes the children started from now on greet the parent with another protocol version, as a child of another
     * multiproc release would.
     *
     * @param version the version their Hello carries
     */
    public void speakProtocolVersion(int version) {
        protocolVersion = version;
    }

    /** @return a context on this transport whose children are embedded */
    public Context context() {
        return contextBuilder().build();
    }

    /** @return a builder of such a context, for options */
    public Context.Builder contextBuilder() {
        return Multiproc.contextBuilder().transport(this).childCommand(CHILD_COMMAND);
    }

    /**
     * @return the next child the parent started, connected (its Hello sent)
     * @throws AssertionError if none is started within 20 seconds (scaled)
     */
    public EmbeddedChild nextChild() throws InterruptedException {
        EmbeddedChild child = children.poll(millis(20), TimeUnit.MILLISECONDS);
        if (child == null) {
            throw new AssertionError("the parent started no child within 20 s (scaled)");
        }
        return child;
    }

    /**
     * Builds a pool on another thread (building waits for its workers) while playing its workers' start: each takes
     * its {@code Start} and answers {@code Ready}.
     *
     * @param builder the pool's builder, from a context of this transport
     * @param workers how many workers it starts
     * @return the pool and its workers, in the order they were started
     */
    public StartedPool startPool(Pool.Builder builder, int workers) throws Exception {
        CompletableFuture<Pool> building = CompletableFuture.supplyAsync(builder::build);
        List<EmbeddedChild> started = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            EmbeddedChild worker = nextChild();
            worker.startAsWorker();
            started.add(worker);
        }
        return new StartedPool(building.get(millis(20), TimeUnit.MILLISECONDS), started);
    }

    /**
     * Builds a pool of two workers on another thread: the first takes its {@code Start} and answers {@code Ready},
     * the second stays silent, as a worker whose JVM is still starting. Call on a fresh transport.
     *
     * @param context a context of this transport
     * @return the pool, its ready worker and its starting one
     */
    public StartingPool startPoolWithASecondWorkerStarting(Context context) throws Exception {
        keepSilent(2);
        Pool.Builder builder = context.poolBuilder().workers(2);
        CompletableFuture<Pool> building = CompletableFuture.supplyAsync(builder::build);
        EmbeddedChild ready = nextChild();
        ready.startAsWorker();
        EmbeddedChild starting = nextChild();
        return new StartingPool(building.get(millis(20), TimeUnit.MILLISECONDS), ready, starting);
    }

    /**
     * A pool with one worker ready and one still starting.
     *
     * @param pool the pool
     * @param ready its worker that is ready
     * @param starting its worker that has not said Hello
     */
    public record StartingPool(Pool pool, EmbeddedChild ready, EmbeddedChild starting) {
    }

    /**
     * A pool and the embedded workers it started.
     *
     * @param pool the pool
     * @param workers its workers, ready
     */
    public record StartedPool(Pool pool, List<EmbeddedChild> workers) {
    }

    /** @return a child started and not yet taken with {@link #nextChild()}, or null */
    public EmbeddedChild pollChild() {
        return children.poll();
    }

    @Override
    public String name() {
        return "embedded";
    }

    @Override
    public ParentTransport open(TransportConfig config) {
        return new ParentTransport() {
            @Override
            public ChildAttachment prepare(String childId) {
                return new ChildAttachment() {
                    @Override
                    public String descriptor() {
                        return "embedded";
                    }

                    @Override
                    public CompletableFuture<MessageChannel> attach(Process process) {
                        EmbeddedChannel[] pair = EmbeddedChannel.pair(childId, config.maxMessageSize());
                        EmbeddedChild child = new EmbeddedChild(childId, process, pair[1]);
                        if (started.incrementAndGet() != silentChild) {
                            child.connect(protocolVersion);
                        }
                        children.add(child);
                        return CompletableFuture.completedFuture(pair[0]);
                    }

                    @Override
                    public void abort() {
                        // nothing was made before attach
                    }
                };
            }

            @Override
            public void close() {
                // each channel is closed with its child link
            }
        };
    }

    @Override
    public MessageChannel connect(ChildEndpoint endpoint) {
        throw new UnsupportedOperationException("embedded children are played by the test, in its own JVM");
    }

    /**
     * @param seconds a deadline on a quiet machine
     * @return it in milliseconds, scaled like the tck's by {@code MULTIPROC_TEST_TIMEOUT_FACTOR}
     */
    public static long millis(double seconds) {
        double factor = 1;
        for (String value : new String[] {System.getProperty("multiproc.test.timeoutFactor"),
                System.getenv("MULTIPROC_TEST_TIMEOUT_FACTOR")}) {
            try {
                if (value != null && !value.isBlank()) {
                    factor = Math.max(factor, Double.parseDouble(value.trim()));
                }
            } catch (NumberFormatException e) {
                // not a number: the factor stays as it is
            }
        }
        return (long) (seconds * 1000 * factor);
    }
}
