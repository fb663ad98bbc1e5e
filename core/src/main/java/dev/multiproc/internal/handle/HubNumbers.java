package dev.multiproc.internal.handle;

import com.google.protobuf.ByteString;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedLong;
import dev.multiproc.SharedValue;
import dev.multiproc.internal.protocol.Op;

/** Hub-backed shared numbers and values. */
public final class HubNumbers {
    private HubNumbers() {
    }

    public static final class IntHandle extends HubHandle implements SharedInt {
        private static final long serialVersionUID = 1L;

        public IntHandle(String contextId, long objectId) {
            super(contextId, objectId);
        }

        @Override
        public int get() {
            return (int) nowValue(Op.LONG_GET, 0, 0);
        }

        @Override
        public void set(int newValue) {
            nowValue(Op.LONG_SET, newValue, 0);
        }

        @Override
        public int getAndSet(int newValue) {
            return (int) nowValue(Op.LONG_GET_AND_SET, newValue, 0);
        }

        @Override
        public int getAndAdd(int delta) {
            return (int) nowValue(Op.LONG_GET_AND_ADD, delta, 0);
        }

        @Override
        public boolean compareAndSet(int expectedValue, int newValue) {
            return nowValue(Op.LONG_COMPARE_AND_SET, expectedValue, newValue) == 1;
        }

        @Override
        String describe() {
            return "SharedInt#" + objectId;
        }
    }

    public static final class LongHandle extends HubHandle implements SharedLong {
        private static final long serialVersionUID = 1L;

        public LongHandle(String contextId, long objectId) {
            super(contextId, objectId);
        }

        @Override
        public long get() {
            return nowValue(Op.LONG_GET, 0, 0);
        }

        @Override
        public void set(long newValue) {
            nowValue(Op.LONG_SET, newValue, 0);
        }

        @Override
        public long getAndSet(long newValue) {
            return nowValue(Op.LONG_GET_AND_SET, newValue, 0);
        }

        @Override
        public long getAndAdd(long delta) {
            return nowValue(Op.LONG_GET_AND_ADD, delta, 0);
        }

        @Override
        public boolean compareAndSet(long expectedValue, long newValue) {
            return nowValue(Op.LONG_COMPARE_AND_SET, expectedValue, newValue) == 1;
        }

        @Override
        String describe() {
            return "SharedLong#" + objectId;
        }
    }

    public static final class ValueHandle<T> extends HubHandle implements SharedValue<T> {
        private static final long serialVersionUID = 1L;

        public ValueHandle(String contextId, long objectId) {
            super(contextId, objectId);
        }

        @Override
        @SuppressWarnings("unchecked")
        public T get() {
            return (T) codec().decode(ok(now(Op.VALUE_GET, 0, 0, null)).getData().toByteArray());
        }

        @Override
        public void set(T newValue) {
            ok(now(Op.VALUE_SET, 0, 0, checked(newValue)));
        }

        @Override
        @SuppressWarnings("unchecked")
        public T getAndSet(T newValue) {
            ByteString encoded = checked(newValue);
            return (T) codec().decode(ok(now(Op.VALUE_GET_AND_SET, 0, 0, encoded)).getData().toByteArray());
        }

        /**
         * Encodes a value and refuses one that no channel could carry, in the parent too: once in the hub, a
         * child's get could never have it.
         */
        private ByteString checked(T newValue) {
            ByteString encoded = ByteString.copyFrom(codec().encode(newValue));
            checkPayload(encoded, describe() + ": a value");
            return encoded;
        }

        @Override
        String describe() {
            return "SharedValue#" + objectId;
        }
    }
}
