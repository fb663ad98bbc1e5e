package dev.multiproc.internal.handle;

import dev.multiproc.JoinableQueue;
import dev.multiproc.internal.hub.HubQueueState;
import dev.multiproc.spi.NativeJoinableQueue;
import java.io.Serial;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link JoinableQueue} over a transport's {@link NativeJoinableQueue}: the elements go through a
 * {@link NativeQueueHandle} (core encodes, the transport moves bytes), the task count is the transport's. A refused
 * {@code taskDone()} throws here, with the hub's message, so users see the same error on every transport.
 * Thread- and process-safe, as the native queue is; serializable to any process of the context.
 *
 * @param <E> the element type
 */
public final class NativeJoinableQueueHandle<E> implements JoinableQueue<E> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final NativeJoinableQueue queue;
    private final NativeQueueHandle<E> elements;

    /** @param queue the transport's queue, which this handle serializes with it */
    public NativeJoinableQueueHandle(NativeJoinableQueue queue) {
        this.queue = queue;
        this.elements = new NativeQueueHandle<>(queue);
    }

    @Override
    public void put(E element) throws InterruptedException {
        elements.put(element);
    }

    @Override
    public void put(E element, long timeout, TimeUnit unit) throws TimeoutException, InterruptedException {
        elements.put(element, timeout, unit);
    }

    @Override
    public boolean offer(E element) {
        return elements.offer(element);
    }

    @Override
    public boolean offer(E element, long timeout, TimeUnit unit) throws InterruptedException {
        return elements.offer(element, timeout, unit);
    }

    @Override
    public E get() throws InterruptedException {
        return elements.get();
    }

    @Override
    public E get(long timeout, TimeUnit unit) throws TimeoutException, InterruptedException {
        return elements.get(timeout, unit);
    }

    @Override
    public E poll() {
        return elements.poll();
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        return elements.poll(timeout, unit);
    }

    @Override
    public int size() {
        return elements.size();
    }

    @Override
    public boolean isEmpty() {
        return elements.isEmpty();
    }

    @Override
    public void close() {
        elements.close();
    }

    @Override
    public void taskDone() {
        if (!queue.taskDone()) {
            throw new IllegalStateException(this + ": " + HubQueueState.TASK_DONE_TOO_OFTEN);
        }
    }

    @Override
    public void join() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        queue.join();
    }

    @Override
    public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return queue.join(timeout, unit);
    }

    @Override
    public String toString() {
        return "JoinableQueue[" + queue + "]";
    }
}
