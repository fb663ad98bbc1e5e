package dev.multiproc.internal.handle;

import dev.multiproc.Connection;
import dev.multiproc.Pipe;
import dev.multiproc.internal.Protocol;
import dev.multiproc.internal.hub.HubQueueState;
import dev.multiproc.spi.NativeConnection;
import java.io.Serial;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A pipe whose ends a transport implements natively ({@link NativeConnection}); core adds the encoding of objects
 * and tags each message as an object or raw bytes, so that {@code recv} and {@code recvBytes} never take each other's
 * messages.
 *
 * @param <T> the type of the objects sent
 */
public record NativePipe<T>(Connection<T> left, Connection<T> right) implements Pipe<T> {

    /** @param maxMessageSize the context's limit, which core enforces whatever the medium could carry */
    public static <T> NativePipe<T> of(NativeConnection left, NativeConnection right, int maxMessageSize) {
        return new NativePipe<>(new End<>(left, maxMessageSize), new End<>(right, maxMessageSize));
    }

    /** One end: encodes, tags and delegates. */
    static final class End<T> implements Connection<T> {
        @Serial
        private static final long serialVersionUID = 1L;
        private final NativeConnection end;
        private final int maxMessageSize;

        End(NativeConnection end, int maxMessageSize) {
            this.end = end;
            this.maxMessageSize = maxMessageSize;
        }

        private void checkSize(int length) {
            Protocol.checkPayload(length, maxMessageSize, this + ": a message");
        }

        @Override
        public void send(T object) {
            Objects.requireNonNull(object, "a pipe message must not be null");
            byte[] bytes = HubHandle.codec().encode(object);
            checkSize(bytes.length);
            end.send(HubQueueState.KIND_OBJECT, bytes, 0, bytes.length);
        }

        @Override
        @SuppressWarnings("unchecked")
        public T recv() throws InterruptedException {
            return (T) HubHandle.codec().decode(end.receive(HubQueueState.KIND_OBJECT, Long.MAX_VALUE,
                    TimeUnit.NANOSECONDS));
        }

        @Override
        public void sendBytes(byte[] bytes, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            checkSize(length);
            end.send(HubQueueState.KIND_BYTES, bytes, offset, length);
        }

        @Override
        public byte[] recvBytes() throws InterruptedException {
            return end.receive(HubQueueState.KIND_BYTES, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        }

        @Override
        public boolean poll(long timeout, TimeUnit unit) throws InterruptedException {
            return end.poll(timeout, unit);
        }

        @Override
        public boolean canSend() {
            return end.canSend();
        }

        @Override
        public boolean canReceive() {
            return end.canReceive();
        }

        @Override
        public void close() {
            end.close();
        }

        @Override
        public String toString() {
            return "Connection[" + end + "]";
        }
    }
}
