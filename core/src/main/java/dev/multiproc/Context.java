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
     * @param initialValue the initial value, serializable, or null
     * @param <T> the value type
     * @return a new shared reference to a serializable value
     * @throws SerializationException if the value cannot be serialized
     */
    <T> SharedValue<T> sharedValue(T initialValue);

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
     * @return a new event, initially clear: Python's {@code Event()}
     */
    SharedEvent event();

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
     * primitive and transport resource. Idempotent.
     */
    @Override
    void close();
}
