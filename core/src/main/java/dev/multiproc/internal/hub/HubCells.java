package dev.multiproc.internal.hub;

import com.google.protobuf.ByteString;
import dev.multiproc.internal.protocol.Reply;

/** The hub's state for shared numbers and shared values: operations that never wait. */
public final class HubCells {
    private HubCells() {
    }

    /** A long, or an int when {@code intWidth}, with the atomic operations of AtomicLong/AtomicInteger. */
    public static final class NumberCell extends Hub.State {
        private final boolean intWidth;
        private long value;

        public NumberCell(boolean intWidth, long initial) {
            this.intWidth = intWidth;
            this.value = initial;
        }

        @Override
        synchronized void handle(Hub.Request request) {
            long a = request.call().getA();
            switch (request.call().getOp()) {
                case LONG_GET -> request.ok(value);
                case LONG_SET -> {
                    value = a;
                    request.ok(0);
                }
                case LONG_GET_AND_SET -> {
                    long previous = value;
                    value = a;
                    request.ok(previous);
                }
                case LONG_GET_AND_ADD -> {
                    long previous = value;
                    value = intWidth ? (int) (value + a) : value + a;
                    request.ok(previous);
                }
                case LONG_COMPARE_AND_SET -> {
                    boolean matches = value == a;
                    if (matches) {
                        value = request.call().getB();
                    }
                    request.ok(matches ? 1 : 0);
                }
                default -> request.fail(Reply.Status.ILLEGAL_STATE, "not a number operation: "
                        + request.call().getOp().name());
            }
        }
    }

    /** An encoded value; the hub never decodes it. */
    public static final class ValueCell extends Hub.State {
        private ByteString value;

        public ValueCell(ByteString initial) {
            this.value = initial;
        }

        @Override
        synchronized void handle(Hub.Request request) {
            switch (request.call().getOp()) {
                case VALUE_GET -> request.ok(value);
                case VALUE_SET -> {
                    value = request.call().getData();
                    request.ok(ByteString.EMPTY);
                }
                case VALUE_GET_AND_SET -> {
                    ByteString previous = value;
                    value = request.call().getData();
                    request.ok(previous);
                }
                default -> request.fail(Reply.Status.ILLEGAL_STATE, "not a value operation: "
                        + request.call().getOp().name());
            }
        }
    }
}
