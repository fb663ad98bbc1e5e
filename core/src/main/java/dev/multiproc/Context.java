package dev.multiproc;

/**
 * Owns the child processes, pools and shared primitives it creates, and the transport they talk over. One per
 * program is usual (Python's {@code multiprocessing.get_context()}).
 *
 * <p>{@link #close()} terminates the pools still open, waits for non-daemon child processes to finish (as Python
 * does at exit), terminates daemon ones, and releases every primitive and transport resource. Nothing the context
 * created outlives it.
 *
 * <p>Thread-safe. Must not be used from a child process; the handles it creates can be.
 */
public interface Context extends AutoCloseable {

    /**
     * Options of a context, for what the defaults cannot know: which transport, and where child JVMs find the
     * application's code when it cannot be derived from how this JVM was launched (see docs/launching.md). Obtain
     * one from {@link Multiproc#contextBuilder()}. Not thread-safe; each {@link #build()} opens a new context.
     */
    interface Builder {
        /**
         * @param transport a transport name such as {@code "pipe"}, {@code "socket"} or {@code "shm"}; null for the
         *        default (see {@link Multiproc})
         * @return this builder
         */
        Builder transport(String transport);

        /**
         * Uses this transport instance in this process, for a transport configured in code rather than by system
         * properties (a test's bind address, say). Child processes still find their side of it by
         * {@link dev.multiproc.spi.Transport#name()}, through {@link java.util.ServiceLoader}, so a transport with
         * that name must be registered on their class path as usual. Replaces a name given to
         * {@link #transport(String)}.
         *
         * @param transport the transport
         * @return this builder
         * @throws NullPointerException if {@code transport} is null
         */
        Builder transport(dev.multiproc.spi.Transport transport);

        /**
         * Sets the class path of child JVMs, instead of the one derived from this JVM's class path and class
         * loaders. Overrides the system property {@code multiproc.child.classPath}.
         *
         * @param entries jars and directories, in order; they must hold multiproc, a transport and the code of
         *        every task
         * @return this builder
         * @throws IllegalArgumentException if {@code entries} is empty
         */
        Builder childClassPath(java.util.List<java.nio.file.Path> entries);

        /**
         * Sets the module path of child JVMs: they then resolve every module on it and run multiproc's child main
         * class from the {@code dev.multiproc} module. Overrides the system property
         * {@code multiproc.child.modulePath}.
         *
         * @param entries module jars and directories of modules, in order
         * @return this builder
         * @throws IllegalArgumentException if {@code entries} is empty
         */
        Builder childModulePath(java.util.List<java.nio.file.Path> entries);

        /**
         * Sets the command that starts a child JVM with the application's code, for launches multiproc cannot
         * derive (a wrapper script, a container, a JVM of another vendor): for example
         * {@code List.of("/opt/jdk/bin/java", "-cp", "/app/lib/*")}. multiproc appends its JVM options
         * ({@code multiproc.childJvmOptions}), its {@code -Dmultiproc.*} properties, its child main class and that
         * class's arguments. Overrides the system property {@code multiproc.child.command}.
         *
         * @param command the program and its first arguments
         * @return this builder
         * @throws IllegalArgumentException if {@code command} is empty
         */
        Builder childCommand(java.util.List<String> command);

        /**
         * Sets the largest message this context's processes exchange, in bytes: a task's encoded arguments (with
         * its function), a chunk's results, a queue element or a pipe message, each with a few kilobytes of
         * framing. Anything larger is refused where it is made, with an exception that says so (a put or send
         * throws {@link IllegalArgumentException}, a map whose arguments are too large throws it at submit, a task
         * whose results are too large fails with it), and the pool, queue or pipe goes on. Default 256 MiB, or the
         * system property {@code multiproc.maxMessageSize}.
         *
         * @param bytes the maximum, at least 64 KiB
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is under 64 KiB
         */
        Builder maxMessageSize(int bytes);

        /**
         * Sets an option for this context only (see {@link ContextOption}: core's options, and those a transport
         * declares). Where it is not set, the option's system property applies, then its default. Children of the
         * context get the same value.
         *
         * @param option the option
         * @param value its value
         * @param <T> the option's type
         * @return this builder
         * @throws IllegalArgumentException if the value is null or outside the option's range
         */
        <T> Builder option(ContextOption<T> option, T value);

        /**
         * Opens the context.
         *
         * @return a new context; close it to stop its children and release its primitives
         * @throws MultiprocException if the transport is not available or cannot open
         */
        Context build();
    }

    /**
     * @return the name of the transport this context uses, e.g. {@code "pipe"}
     */
    String transportName();

    /**
     * Starts a pool with one worker per available processor.
     *
     * @return the pool; close it to stop its workers
     */
    Pool pool();

    /**
     * Starts a pool with the given number of workers.
     *
     * @param workers the number of worker processes, at least 1
     * @return the pool; close it to stop its workers
     */
    Pool pool(int workers);

    /**
     * @return a builder for a pool with an initializer, a task limit per worker, or worker JVM options
     */
    Pool.Builder poolBuilder();

    /**
     * Creates (but does not start) a child process that will run {@code target}: Python's
     * {@code Process(target=...)}.
     *
     * @param target what the child runs; it and everything it captures must be serializable
     * @return the unstarted process
     * @throws SerializationException if the target cannot be serialized; the message names the object
     * @throws MultiprocException if the target's class cannot be loaded by a child JVM (it was defined in memory,
     *         by jshell or a single-file source launch, or comes from a place the children's class path lacks)
     */
    ChildProcess process(Job target);

    /**
     * @param initialValue the initial value
     * @return a new shared int: Python's {@code Value('i', initialValue)}
     */
    SharedInt sharedInt(int initialValue);

    /**
     * @param initialValue the initial value
     * @return a new shared long: Python's {@code Value('q', initialValue)}
     */
    SharedLong sharedLong(long initialValue);

    /**
     * Python's {@code Manager().Value}. On the {@code shm} transport the value's bytes live in shared memory and
     * every process reads and writes them there (encoded values up to about 1 GiB); on the others the value is kept
     * in the parent's hub and each operation is a message round trip (values up to one message, see
     * {@link Builder#maxMessageSize(int)}).
     *
     * @param initialValue the initial value, serializable, or null
     * @param <T> the value type
     * @return a new shared reference to a serializable value
     * @throws SerializationException if the value cannot be serialized
     * @throws IllegalArgumentException if the encoded value is larger than the transport's values hold (the message
     *         says the limit)
     */
    <T> SharedValue<T> sharedValue(T initialValue);

    /**
     * Makes a block of shared memory: Python's {@code SharedMemory(create=True, size=size)}. On the {@code shm}
     * transport it is memory every process maps (up to 2 GiB less 8 KiB: a mapped buffer is indexed by int on
     * Java 17), attachable by name from any process of the same user; on the others it lives in the parent's
     * heap within {@link ContextOption#HUB_MAX_BYTES}. See {@link SharedBuffer}.
     *
     * @param size the number of bytes, at least 1; they start zeroed
     * @return the buffer
     * @throws IllegalArgumentException if the size is under 1 or over what the transport holds (the message says
     *         the limit)
     */
    SharedBuffer sharedBuffer(long size);

    /**
     * Makes an array of ints in a new {@link #sharedBuffer shared buffer} of {@code 4 * length} bytes, with its
     * lock: Python's {@code Array('i', length)}.
     *
     * @param length the number of elements, at least 1; they start at 0
     * @return the array
     * @throws IllegalArgumentException as {@link #sharedBuffer(long)} does
     */
    default SharedIntArray sharedIntArray(int length) {
        return sharedBuffer((long) length * Integer.BYTES).asIntArray();
    }

    /**
     * Makes an array of longs in a new {@link #sharedBuffer shared buffer} of {@code 8 * length} bytes, with its
     * lock: Python's {@code Array('q', length)}.
     *
     * @param length the number of elements, at least 1; they start at 0
     * @return the array
     * @throws IllegalArgumentException as {@link #sharedBuffer(long)} does
     */
    default SharedLongArray sharedLongArray(int length) {
        return sharedBuffer((long) length * Long.BYTES).asLongArray();
    }

    /**
     * Makes an array of doubles in a new {@link #sharedBuffer shared buffer} of {@code 8 * length} bytes, with its
     * lock: Python's {@code Array('d', length)}.
     *
     * @param length the number of elements, at least 1; they start at 0.0
     * @return the array
     * @throws IllegalArgumentException as {@link #sharedBuffer(long)} does
     */
    default SharedDoubleArray sharedDoubleArray(int length) {
        return sharedBuffer((long) length * Double.BYTES).asDoubleArray();
    }

    /**
     * @param <K> the key type
     * @param <V> the value type
     * @return a new, empty map kept in this process and shared with every process of the context: Python's
     *         {@code Manager().dict()}
     */
    <K, V> SharedMap<K, V> sharedMap();

    /**
     * @param <E> the element type
     * @return a new, empty list kept in this process and shared with every process of the context: Python's
     *         {@code Manager().list()}
     */
    <E> SharedList<E> sharedList();

    /**
     * @return a new non-reentrant lock: Python's {@code Lock()}
     */
    SharedLock lock();

    /**
     * @return a new reentrant lock: Python's {@code RLock()}
     */
    SharedLock reentrantLock();

    /**
     * @param permits the initial number of permits, at least 0
     * @return a new counting semaphore: Python's {@code Semaphore(permits)}
     */
    SharedSemaphore semaphore(int permits);

    /**
     * @return a snapshot of this context's metrics: its children alive and started, its open pools, and its hub's
     *         shared objects and the bytes they hold (each pool's own are in {@link Pool#stats()})
     */
    ContextStats stats();

    /**
     * @return a new event, initially clear: Python's {@code Event()}
     */
    SharedEvent event();

    /**
     * @param parties how many parties must arrive to trip the barrier, at least 1
     * @return a new barrier without an action or timeout: Python's {@code Barrier(parties)}
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    SharedBarrier barrier(int parties);

    /**
     * @param parties how many parties must arrive to trip the barrier, at least 1
     * @param action what the last party to arrive runs before the others are released, or null for nothing
     * @return a new barrier without a timeout: Python's {@code Barrier(parties, action)}
     * @throws IllegalArgumentException if {@code parties} is less than 1
     * @throws SerializationException if the action cannot be serialized; the message names the object
     */
    SharedBarrier barrier(int parties, BarrierAction action);

    /**
     * @param parties how many parties must arrive to trip the barrier, at least 1
     * @param action what the last party to arrive runs before the others are released, or null for nothing
     * @param timeout how long {@link SharedBarrier#await()} waits before it breaks the barrier (Python's default
     *        timeout of {@code wait()}); {@link SharedBarrier#await(long, TimeUnit)} uses its own
     * @param unit the unit of {@code timeout}
     * @return a new barrier: Python's {@code Barrier(parties, action, timeout)}
     * @throws IllegalArgumentException if {@code parties} is less than 1 or {@code timeout} is negative
     * @throws SerializationException if the action cannot be serialized; the message names the object
     */
    SharedBarrier barrier(int parties, BarrierAction action, long timeout, java.util.concurrent.TimeUnit unit);

    /**
     * @return a new condition with a new reentrant lock of its own: Python's {@code Condition()}, whose default
     *         lock is an {@code RLock}
     */
    SharedCondition condition();

    /**
     * @param lock the lock the condition is bound to, one of this context's
     * @return a new condition on {@code lock}: Python's {@code Condition(lock)}
     * @throws NullPointerException if {@code lock} is null
     */
    SharedCondition condition(SharedLock lock);

    /**
     * @param <E> the element type
     * @return a new unbounded queue: Python's {@code Queue()}
     */
    <E> Queue<E> queue();

    /**
     * @param capacity the most elements the queue holds before {@code put} blocks, at least 1
     * @param <E> the element type
     * @return a new bounded queue: Python's {@code Queue(maxsize)}
     */
    <E> Queue<E> queue(int capacity);

    /**
     * @param <E> the element type
     * @return a new unbounded joinable queue: Python's {@code JoinableQueue()}
     */
    <E> JoinableQueue<E> joinableQueue();

    /**
     * @param <T> the type of the objects sent through the pipe
     * @return a new duplex pipe: Python's {@code Pipe()}
     */
    <T> Pipe<T> pipe();

    /**
     * @param duplex true for a two-way pipe; false for a one-way pipe whose {@link Pipe#left() left} end only
     *        receives and whose {@link Pipe#right() right} end only sends (Python's {@code Pipe(duplex=False)})
     * @param <T> the type of the objects sent through the pipe
     * @return a new pipe
     */
    <T> Pipe<T> pipe(boolean duplex);

    /**
     * Terminates the pools still open, joins non-daemon children, terminates daemon children, and releases every
     * primitive and transport resource. Idempotent. Afterwards every shared object the context made (values,
     * buffers, maps, lists, locks, semaphores, events, barriers, conditions, queues) throws
     * {@link IllegalStateException} when used, in any process.
     */
    @Override
    void close();
}
