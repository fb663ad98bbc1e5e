package dev.multiproc.internal.handle;

import dev.multiproc.Queue;
import dev.multiproc.spi.NativeQueue;
import java.io.Serial;
import java.util.Objects;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Queue} over a transport's {@link NativeQueue}: core encodes and decodes, the transport moves bytes.
 *
 * @param <E> the element type
 */
public final class NativeQueueHandle<E> implements Queue<E> {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final long FOREVER = Long.MAX_VALUE;

    private final NativeQueue queue;

    public NativeQueueHandle(NativeQueue queue) {
        this.queue = queue;
    }

    private static byte[] encode(Object element) {
        Objects.requireNonNull(element, "a queue element must not be null");
        return HubHandle.codec().encode(element);
    }

    @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"}) // the queue's element type, as put
    private static <E> E decode(byte[] bytes) {
        return bytes == null ? null : (E) HubHandle.codec().decode(bytes);
    }

    @Override
    public void put(E element) throws InterruptedException {
        queue.offer(encode(element), FOREVER, TimeUnit.NANOSECONDS);
    }

    @Override
    public void put(E element, long timeout, TimeUnit unit) throws TimeoutException, InterruptedException {
        if (!queue.offer(encode(element), timeout, unit)) {
            throw new TimeoutException("the queue stayed full for " + timeout + " " + unit.name().toLowerCase(Locale.ROOT));
        }
    }

    @Override
    public boolean offer(E element) {
        byte[] bytes = encode(element);
        boolean interrupted = Thread.interrupted();
        try {
            return queue.offer(bytes, 0, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
            return false;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean offer(E element, long timeout, TimeUnit unit) throws InterruptedException {
        return queue.offer(encode(element), timeout, unit);
    }

    @Override
    public E get() throws InterruptedException {
        return decode(queue.poll(FOREVER, TimeUnit.NANOSECONDS));
    }

    @Override
    public E get(long timeout, TimeUnit unit) throws TimeoutException, InterruptedException {
        byte[] bytes = queue.poll(timeout, unit);
        if (bytes == null) {
            throw new TimeoutException("the queue stayed empty for " + timeout + " " + unit.name().toLowerCase(Locale.ROOT));
        }
        return decode(bytes);
    }

    @Override
    public E poll() {
        boolean interrupted = Thread.interrupted();
        try {
            return decode(queue.poll(0, TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            interrupted = true;
            return null;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        return decode(queue.poll(timeout, unit));
    }

    @Override
    public int size() {
        return queue.size();
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public void close() {
        queue.close();
    }

    @Override
    public String toString() {
        return "Queue[" + queue + "]";
    }
}
