package dev.multiproc.internal;

import com.google.protobuf.ByteString;
import dev.multiproc.BarrierAction;
import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.ContextOption;
import dev.multiproc.ContextStats;
import dev.multiproc.Job;
import dev.multiproc.JoinableQueue;
import dev.multiproc.MultiprocException;
import dev.multiproc.Pipe;
import dev.multiproc.Pool;
import dev.multiproc.Queue;
import dev.multiproc.SharedBarrier;
import dev.multiproc.SharedBuffer;
import dev.multiproc.SharedCondition;
import dev.multiproc.SharedEvent;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedList;
import dev.multiproc.SharedLock;
import dev.multiproc.SharedLong;
import dev.multiproc.SharedMap;
import dev.multiproc.SharedSemaphore;
import dev.multiproc.SharedValue;
import dev.multiproc.internal.buffer.SharedBuffers;
import dev.multiproc.internal.codec.Codec;
import dev.multiproc.internal.codec.DefaultCodec;
import dev.multiproc.internal.handle.HubBarrier;
import dev.multiproc.internal.handle.HubCondition;
import dev.multiproc.internal.handle.HubList;
import dev.multiproc.internal.handle.HubMap;
import dev.multiproc.internal.handle.HubNumbers;
import dev.multiproc.internal.handle.HubPipe;
import dev.multiproc.internal.handle.HubQueue;
import dev.multiproc.internal.handle.HubSync;
import dev.multiproc.internal.handle.Invoker;
import dev.multiproc.internal.handle.NativeJoinableQueueHandle;
import dev.multiproc.internal.handle.NativePipe;
import dev.multiproc.internal.handle.NativeQueueHandle;
import dev.multiproc.internal.handle.NativeValueHandle;
import dev.multiproc.internal.hub.Hub;
import dev.multiproc.internal.hub.HubBarrierState;
import dev.multiproc.internal.hub.HubCells;
import dev.multiproc.internal.hub.HubConditionState;
import dev.multiproc.internal.hub.HubListState;
import dev.multiproc.internal.hub.HubLockState;
import dev.multiproc.internal.hub.HubMapState;
import dev.multiproc.internal.hub.HubQueueState;
import dev.multiproc.internal.hub.HubSyncStates;
import dev.multiproc.internal.parent.ChildLaunch;
import dev.multiproc.internal.parent.ChildLink;
import dev.multiproc.internal.parent.ChildProcessImpl;
import dev.multiproc.internal.pool.PoolBuilderImpl;
import dev.multiproc.internal.pool.PoolImpl;
import dev.multiproc.internal.pool.PoolSpec;
import dev.multiproc.internal.protocol.Call;
import dev.multiproc.internal.protocol.Reply;
import dev.multiproc.spi.NativeJoinableQueue;
import dev.multiproc.spi.NativePrimitives;
import dev.multiproc.spi.NativeQueue;
import dev.multiproc.spi.NativeValue;
import dev.multiproc.spi.ParentTransport;
import dev.multiproc.spi.Transport;
import dev.multiproc.spi.TransportConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The {@link Context}: owns the transport, the hub, the children and the pools. */
public final class ContextImpl implements Context {
    private static final Map<String, ContextImpl> OPEN = new ConcurrentHashMap<>();
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final AtomicInteger PROCESSES = new AtomicInteger();

    private final String id;
    private final Transport transport;
    private final ParentTransport parentTransport;
    private final int maxMessageSize;
    private final Hub hub;
    /** Its id, maximum message size and the options the builder set; see {@link #option(ContextOption)}. */
    private final TransportConfig config;
    private final AtomicLong childIds = new AtomicLong();
    private final AtomicLong localCallIds = new AtomicLong();
    private final Set<ChildLink> links = ConcurrentHashMap.newKeySet();
    /** Every child link registered over the context's life. */
    private final AtomicLong childrenStarted = new AtomicLong();
    /** The processes started and not yet exited. */
    private final Set<ChildProcessImpl> processes = new LinkedHashSet<>();
    /** The pools not yet terminated. */
    private final Set<PoolImpl> pools = new LinkedHashSet<>();
    private final Invoker localInvoker = new Invoker() {
        @Override
        public Reply invoke(Call.Builder call, boolean interruptible) throws InterruptedException {
            return invokeLocally(call, interruptible);
        }

        @Override
        public int maxMessageSize() {
            return maxMessageSize;
        }
    };
    private final ChildLaunch childLaunch;
    private final long spinNanos;
    private final int poolPrefetch;
    private volatile boolean closed;

    private ContextImpl(Transport transport, ChildLaunch.LaunchOptions launch, int maxMessageSize,
            Map<String, Object> options) throws IOException {
        // unique among live processes (the pid) and across this JVM's contexts; not a secret (children get it on
        // their command line), so no SecureRandom, whose first use costs a cold JVM tens of milliseconds
        this.id = ProcessHandle.current().pid() + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current()
                .nextLong());
        this.transport = transport;
        this.maxMessageSize = maxMessageSize > 0 ? maxMessageSize : Protocol.maxMessageSize();
        this.config = new TransportConfig(id, this.maxMessageSize, options);
        this.hub = new Hub(option(ContextOption.HUB_MAX_BYTES));
        this.spinNanos = TimeUnit.MICROSECONDS.toNanos(option(ContextOption.SPIN_MICROS));
        this.poolPrefetch = option(ContextOption.POOL_PREFETCH);
        this.childLaunch = ChildLaunch.derive(launch, Thread.currentThread().getContextClassLoader());
        this.parentTransport = transport.open(config);
    }

    /**
     * @param transport the transport to use
     * @return an open context
     * @throws MultiprocException if the transport cannot open
     */
    public static Context open(Transport transport) {
        return open(transport, ChildLaunch.LaunchOptions.NONE, 0, Map.of());
    }

    /** @param maxMessageSize the largest message, or 0 for the default */
    static Context open(Transport transport, ChildLaunch.LaunchOptions launch, int maxMessageSize,
            Map<String, Object> options) {
        try {
            ContextImpl context = new ContextImpl(transport, launch, maxMessageSize, options);
            OPEN.put(context.id, context);
            return context;
        } catch (IOException e) {
            throw new MultiprocException("Transport '" + transport.name() + "' failed to open: " + e, e);
        }
    }

    public static ContextImpl byId(String id) {
        return OPEN.get(id);
    }

    public String id() {
        return id;
    }

    /**
     * @param option an option
     * @param <T> its type
     * @return this context's value of it (the builder's, else the system property's, else the default)
     */
    public <T> T option(ContextOption<T> option) {
        return config.get(option);
    }

    /** @return the context's {@link ContextOption#POOL_PREFETCH}, read when it was built */
    public int poolPrefetch() {
        return poolPrefetch;
    }

    /** @return the options this context's builder set, by name, for its children's command lines */
    public Map<String, Object> options() {
        return config.options();
    }

    public Transport transport() {
        return transport;
    }

    public ParentTransport parentTransport() {
        return parentTransport;
    }

    public int maxMessageSize() {
        return maxMessageSize;
    }

    public Hub hub() {
        return hub;
    }

    /** @return how this context's children reach the application's code */
    public ChildLaunch childLaunch() {
        return childLaunch;
    }


    public Invoker localInvoker() {
        return localInvoker;
    }

    public Codec codec() {
        return DefaultCodec.INSTANCE;
    }

    public String newChildId() {
        return "c" + childIds.incrementAndGet();
    }

    public void register(ChildLink link) {
        links.add(link);
        childrenStarted.incrementAndGet();
        if (closed) {
            link.terminate(true);
        }
    }

    public void unregister(ChildLink link) {
        links.remove(link);
    }

    private Reply invokeLocally(Call.Builder call, boolean interruptible) throws InterruptedException {
        long callId = localCallIds.incrementAndGet();
        Call built = call.setCallId(callId).setThreadId(Thread.currentThread().getId()).build();
        CompletableFuture<Reply> reply = hub.dispatch(Hub.PARENT, built);
        return Invoker.await(reply, interruptible, spinNanos, () -> hub.cancel(Hub.PARENT, built.getObjectId(), callId));
    }

    private void ensureOpen() {
        if (closed) {
            throw new MultiprocException("This Context is closed; open a new one with Multiproc.context().");
        }
    }

    @Override
    public String transportName() {
        return transport.name();
    }

    @Override
    public Pool pool() {
        return poolBuilder().build();
    }

    @Override
    public Pool pool(int workers) {
        return poolBuilder().workers(workers).build();
    }

    @Override
    public Pool.Builder poolBuilder() {
        ensureOpen();
        return new PoolBuilderImpl(this, "pool-" + POOLS.incrementAndGet());
    }

    @Override
    public ContextStats stats() {
        int open = 0;
        synchronized (pools) {
            // a pool leaves the set in a dependent of its termination, which may run after close() has returned
            for (PoolImpl pool : pools) {
                if (!pool.isTerminated()) {
                    open++;
                }
            }
        }
        return new ContextStats(links.size(), childrenStarted.get(), open, hub.objectCount(), hub.heldBytes(),
                hub.maxHeldBytes());
    }

    public PoolImpl startPool(PoolSpec spec) {
        ensureOpen();
        PoolImpl pool = new PoolImpl(this, spec);
        synchronized (pools) {
            pools.add(pool);
        }
        pool.whenTerminated(() -> {
            synchronized (pools) {
                pools.remove(pool);
            }
        });
        pool.start();
        return pool;
    }

    @Override
    public ChildProcess process(Job target) {
        ensureOpen();
        if (target == null) {
            throw new NullPointerException("target");
        }
        childLaunch.checkReachable(target);
        byte[] job = codec().encode(target);
        return new ChildProcessImpl(this, job, "process-" + PROCESSES.incrementAndGet());
    }

    /**
     * Tracks a process from its start until its exit, so that {@link #close()} can wait for it; a long-lived context
     * keeps nothing of the processes that ended.
     *
     * @param process a process being started
     * @param exit completes when it has exited
     */
    public void track(ChildProcessImpl process, CompletableFuture<?> exit) {
        synchronized (processes) {
            ensureOpen();
            processes.add(process);
        }
        exit.whenComplete((status, failure) -> untrack(process)).exceptionally(failure -> null);
    }

    /**
     * @return the processes started by every open context of this JVM that have not exited, in the order they were
     *         started ({@link dev.multiproc.Multiproc#activeChildren()})
     */
    public static List<ChildProcess> liveProcesses() {
        List<ChildProcessImpl> live = new ArrayList<>();
        for (ContextImpl context : OPEN.values()) {
            synchronized (context.processes) {
                for (ChildProcessImpl process : context.processes) {
                    if (process.isAlive()) {
                        live.add(process);
                    }
                }
            }
        }
        live.sort(Comparator.comparingLong(ChildProcessImpl::startOrder));
        return List.copyOf(live);
    }

    /** @param process a process that has exited, or could not be launched */
    public void untrack(ChildProcessImpl process) {
        synchronized (processes) {
            processes.remove(process);
        }
    }

    @Override
    public SharedInt sharedInt(int initialValue) {
        ensureOpen();
        return parentTransport.primitives().sharedInt(initialValue).orElseGet(() ->
                new HubNumbers.IntHandle(id, hub.register(new HubCells.NumberCell(true, initialValue))));
    }

    @Override
    public SharedLong sharedLong(long initialValue) {
        ensureOpen();
        return parentTransport.primitives().sharedLong(initialValue).orElseGet(() ->
                new HubNumbers.LongHandle(id, hub.register(new HubCells.NumberCell(false, initialValue))));
    }

    @Override
    public <T> SharedValue<T> sharedValue(T initialValue) {
        ensureOpen();
        NativePrimitives natives = parentTransport.primitives();
        long nativeMax = natives.maxValueSize();
        if (nativeMax > 0) {
            Optional<NativeValue> value = natives.value(NativeValueHandle.encode(initialValue, nativeMax));
            if (value.isPresent()) {
                return new NativeValueHandle<>(value.get(), nativeMax);
            }
        }
        ByteString encoded = ByteString.copyFrom(codec().encode(initialValue));
        Protocol.checkPayload(encoded.size(), maxMessageSize, "a SharedValue's initial value");
        return new HubNumbers.ValueHandle<>(id, hub.register(new HubCells.ValueCell(encoded)));
    }

    @Override
    public SharedBuffer sharedBuffer(long size) {
        ensureOpen();
        return SharedBuffers.create(size, parentTransport.primitives(), id, hub, this::lock);
    }

    @Override
    public <K, V> SharedMap<K, V> sharedMap() {
        ensureOpen();
        return new HubMap<>(id, hub.register(new HubMapState()));
    }

    @Override
    public <E> SharedList<E> sharedList() {
        ensureOpen();
        return new HubList<>(id, hub.register(new HubListState()));
    }

    @Override
    public SharedLock lock() {
        return newLock(false);
    }

    @Override
    public SharedLock reentrantLock() {
        return newLock(true);
    }

    private SharedLock newLock(boolean reentrant) {
        ensureOpen();
        return parentTransport.primitives().lock(reentrant).orElseGet(() ->
                new HubSync.LockHandle(id, hub.register(new HubLockState(reentrant)), reentrant));
    }

    @Override
    public SharedSemaphore semaphore(int permits) {
        ensureOpen();
        if (permits < 0) {
            throw new IllegalArgumentException("permits must be >= 0: " + permits);
        }
        return parentTransport.primitives().semaphore(permits).orElseGet(() ->
                new HubSync.SemaphoreHandle(id, hub.register(new HubSyncStates.SemaphoreState(permits))));
    }

    @Override
    public SharedEvent event() {
        ensureOpen();
        return parentTransport.primitives().event().orElseGet(() ->
                new HubSync.EventHandle(id, hub.register(new HubSyncStates.EventState())));
    }

    @Override
    public SharedBarrier barrier(int parties) {
        return barrier(parties, null);
    }

    @Override
    public SharedBarrier barrier(int parties, BarrierAction action) {
        return newBarrier(parties, action, HubBarrier.FOREVER);
    }

    @Override
    public SharedBarrier barrier(int parties, BarrierAction action, long timeout, TimeUnit unit) {
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout must be >= 0: " + timeout);
        }
        return newBarrier(parties, action, unit.toNanos(timeout));
    }

    private SharedBarrier newBarrier(int parties, BarrierAction action, long timeoutNanos) {
        ensureOpen();
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be >= 1: " + parties);
        }
        if (action != null) {
            childLaunch.checkReachable(action);
            codec().encode(action); // refused here, naming the culprit, rather than when a child needs it
        }
        Duration timeout = timeoutNanos == HubBarrier.FOREVER ? null : Duration.ofNanos(timeoutNanos);
        return parentTransport.primitives().barrier(parties, action, timeout).orElseGet(() ->
                new HubBarrier(id, hub.register(new HubBarrierState(parties, action != null)), parties, action,
                        timeoutNanos));
    }

    @Override
    public SharedCondition condition() {
        return condition(reentrantLock());
    }

    @Override
    public SharedCondition condition(SharedLock lock) {
        ensureOpen();
        if (lock == null) {
            throw new NullPointerException("lock");
        }
        return new HubCondition(id, hub.register(new HubConditionState()), lock);
    }

    @Override
    public <E> Queue<E> queue() {
        return queue(Integer.MAX_VALUE);
    }

    @Override
    public <E> Queue<E> queue(int capacity) {
        ensureOpen();
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        Optional<NativeQueue> queue = parentTransport.primitives().queue(capacity);
        if (queue.isPresent()) {
            return new NativeQueueHandle<>(queue.get());
        }
        return new HubQueue<>(id, hub.register(new HubQueueState(capacity)), false, capacity != Integer.MAX_VALUE);
    }

    @Override
    public <E> JoinableQueue<E> joinableQueue() {
        ensureOpen();
        Optional<NativeJoinableQueue> queue = parentTransport.primitives().joinableQueue();
        if (queue.isPresent()) {
            return new NativeJoinableQueueHandle<>(queue.get());
        }
        return new HubQueue<>(id, hub.register(new HubQueueState(Integer.MAX_VALUE)), true, false);
    }

    @Override
    public <T> Pipe<T> pipe() {
        return pipe(true);
    }

    @Override
    public <T> Pipe<T> pipe(boolean duplex) {
        ensureOpen();
        Optional<NativePrimitives.PipeEnds> ends = parentTransport.primitives().pipe(duplex);
        if (ends.isPresent()) {
            return NativePipe.of(ends.get().left(), ends.get().right(), maxMessageSize);
        }
        long toLeft = hub.register(new HubQueueState(Integer.MAX_VALUE));
        if (!duplex) {
            return new HubPipe<>(new HubPipe.End<>(id, toLeft, 0, "left#" + toLeft),
                    new HubPipe.End<>(id, 0, toLeft, "right#" + toLeft));
        }
        long toRight = hub.register(new HubQueueState(Integer.MAX_VALUE));
        return new HubPipe<>(new HubPipe.End<>(id, toLeft, toRight, "left#" + toLeft),
                new HubPipe.End<>(id, toRight, toLeft, "right#" + toLeft));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<PoolImpl> openPools;
        synchronized (pools) {
            openPools = new ArrayList<>(pools);
        }
        for (PoolImpl pool : openPools) {
            pool.terminate();
        }
        List<ChildProcessImpl> children;
        synchronized (processes) {
            children = new ArrayList<>(processes);
        }
        boolean interrupted = false;
        for (ChildProcessImpl child : children) {
            if (child.isDaemon()) {
                child.terminate();
            }
        }
        for (ChildProcessImpl child : children) {
            try {
                child.awaitExitIfStarted();
            } catch (InterruptedException e) {
                interrupted = true;
                child.kill();
            }
        }
        for (PoolImpl pool : openPools) {
            try {
                pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        for (ChildLink link : links) {
            link.terminate(true);
        }
        hub.close();
        parentTransport.close();
        OPEN.remove(id);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
