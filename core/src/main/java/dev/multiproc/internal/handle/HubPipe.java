package dev.multiproc.internal.handle;

import com.google.protobuf.ByteString;
import dev.multiproc.Connection;
import dev.multiproc.Pipe;
import dev.multiproc.internal.child.ChildRuntime;
import dev.multiproc.internal.hub.HubQueueState;
import dev.multiproc.internal.protocol.Op;
import dev.multiproc.internal.protocol.Reply;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A hub-backed pipe: two hub queues, one per direction (one for a one-way pipe). Each end sends into one and
 * receives from the other; closing an end closes both, so the peer drains what was sent and then sees the close.
 *
 * @param <T> the type of the objects sent
 */
public record HubPipe<T>(Connection<T> left, Connection<T> right) implements Pipe<T> {

    /** One end: the queue it receives from and the queue it sends to (0 when it cannot). */
    public static final class End<T> extends HubHandle implements Connection<T> {
        private static final long serialVersionUID = 1L;
        private final long sendQueue;
        private final String name;

        /** @param objectId the queue this end receives from, or 0 if it only sends */
        public End(String contextId, long objectId, long sendQueue, String name) {
            super(contextId, objectId);
            this.sendQueue = sendQueue;
            this.name = name;
        }

        private HubQueueStateHandle sendSide() {
            if (sendQueue == 0) {
                throw new UnsupportedOperationException(describe() + " is the receiving end of a one-way pipe");
            }
            return new HubQueueStateHandle(contextId, sendQueue, describe());
        }

        private void requireReceive() {
            if (objectId == 0) {
                throw new UnsupportedOperationException(describe() + " is the sending end of a one-way pipe");
            }
        }

        @Override
        public void send(T object) {
            Objects.requireNonNull(object, "a pipe message must not be null");
            sendSide().put(ByteString.copyFrom(codec().encode(object)), HubQueueState.KIND_OBJECT);
        }

        @Override
        @SuppressWarnings("unchecked")
        public T recv() throws InterruptedException {
            return (T) codec().decode(receive(HubQueueState.KIND_OBJECT));
        }

        @Override
        public void sendBytes(byte[] bytes, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            sendSide().put(ByteString.copyFrom(bytes, offset, length), HubQueueState.KIND_BYTES);
        }

        @Override
        public byte[] recvBytes() throws InterruptedException {
            return receive(HubQueueState.KIND_BYTES);
        }

        private byte[] receive(int kind) throws InterruptedException {
            requireReceive();
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return ok(await(Op.QUEUE_TAKE, kind, 0, null, FOREVER)).getData().toByteArray();
        }

        @Override
        public boolean poll(long timeout, TimeUnit unit) throws InterruptedException {
            requireReceive();
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return ok(await(Op.QUEUE_AWAIT, 0, 0, null, nanos(timeout, unit))).getStatus() == Reply.Status.OK;
        }

        @Override
        public boolean canSend() {
            return sendQueue != 0;
        }

        @Override
        public boolean canReceive() {
            return objectId != 0;
        }

        @Override
        public void close() {
            if (objectId != 0) {
                nowValue(Op.QUEUE_CLOSE, 1, 0);
            }
            if (sendQueue != 0) {
                sendSide().close();
            }
        }

        @Override
        String describe() {
            return "Connection " + name;
        }
    }

    /** The queue an end sends into, addressed by id. */
    private static final class HubQueueStateHandle extends HubHandle {
        private static final long serialVersionUID = 1L;
        private final String owner;

        HubQueueStateHandle(String contextId, long objectId, String owner) {
            super(contextId, objectId);
            this.owner = owner;
        }

        /** A pipe's queues are unbounded: a child sends without waiting (see {@link HubHandle#putQuietly}). */
        void put(ByteString data, int kind) {
            checkPayload(data, owner + ": a message");
            if (invoker() instanceof ChildRuntime child) {
                putQuietly(child, objectId, kind, data);
            } else {
                ok(now(Op.QUEUE_PUT, 0, kind, data));
            }
        }

        void close() {
            nowValue(Op.QUEUE_CLOSE, 1, 0);
        }

        @Override
        String describe() {
            return owner;
        }
    }
}
