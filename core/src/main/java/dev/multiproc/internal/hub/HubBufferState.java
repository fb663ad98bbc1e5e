package dev.multiproc.internal.hub;

import com.google.protobuf.ByteString;
import dev.multiproc.internal.buffer.LittleEndian;
import dev.multiproc.internal.protocol.Call;
import dev.multiproc.internal.protocol.Op;
import dev.multiproc.internal.protocol.Reply;

/**
 * A shared buffer's bytes in the parent's heap. Every operation runs under the state's monitor, so each element
 * operation is atomic and a range read or write is seen whole by the hub's other calls (readers and writers in
 * other processes see each range call whole, but a bulk copy larger than one message is several calls). The
 * caller (core's handle) has checked every offset, length and alignment; the state checks ranges again so that a
 * corrupt call cannot reach outside the array.
 */
public final class HubBufferState extends Hub.State {
    private final byte[] bytes;
    /** The buffer's lock, encoded, for a process that attaches the buffer by name. */
    private final ByteString lock;

    HubBufferState(int size, ByteString lock) {
        this.bytes = new byte[size];
        this.lock = lock;
    }

    /** @return the number of bytes the buffer holds in the parent's heap */
    public int size() {
        return bytes.length;
    }

    @Override
    synchronized void handle(Hub.Request request) {
        Call call = request.call();
        if (call.getOp() == Op.BUFFER_ATTACH) {
            request.reply().complete(Reply.newBuilder().setCallId(call.getCallId()).setStatus(Reply.Status.OK)
                    .setValue(bytes.length).setData(lock).build());
            return;
        }
        long a = call.getA();
        long width = switch (call.getOp()) {
            case BUFFER_READ -> call.getB();
            case BUFFER_WRITE -> call.getData().size();
            case BUFFER_GET_INT, BUFFER_SET_INT, BUFFER_GET_AND_SET_INT, BUFFER_GET_AND_ADD_INT,
                    BUFFER_COMPARE_AND_SET_INT -> Integer.BYTES;
            default -> Long.BYTES;
        };
        if (a < 0 || width < 0 || a > bytes.length - width) {
            request.fail(Reply.Status.ILLEGAL_STATE, "range " + a + " + " + width + " is outside the buffer of "
                    + bytes.length + " bytes");
            return;
        }
        int at = (int) a;
        switch (call.getOp()) {
            case BUFFER_READ -> request.ok(ByteString.copyFrom(bytes, at, (int) width));
            case BUFFER_WRITE -> {
                call.getData().copyTo(bytes, at);
                request.ok(0);
            }
            case BUFFER_GET_INT -> request.ok((int) LittleEndian.INTS.get(bytes, at));
            case BUFFER_SET_INT -> {
                LittleEndian.INTS.set(bytes, at, (int) call.getB());
                request.ok(0);
            }
            case BUFFER_GET_AND_SET_INT -> {
                request.ok((int) LittleEndian.INTS.get(bytes, at));
                LittleEndian.INTS.set(bytes, at, (int) call.getB());
            }
            case BUFFER_GET_AND_ADD_INT -> {
                int previous = (int) LittleEndian.INTS.get(bytes, at);
                LittleEndian.INTS.set(bytes, at, previous + (int) call.getB());
                request.ok(previous);
            }
            case BUFFER_COMPARE_AND_SET_INT -> {
                boolean matches = (int) LittleEndian.INTS.get(bytes, at) == (int) call.getB();
                if (matches) {
                    LittleEndian.INTS.set(bytes, at, (int) call.getC());
                }
                request.ok(matches ? 1 : 0);
            }
            case BUFFER_GET_LONG -> request.ok((long) LittleEndian.LONGS.get(bytes, at));
            case BUFFER_SET_LONG -> {
                LittleEndian.LONGS.set(bytes, at, call.getB());
                request.ok(0);
            }
            case BUFFER_GET_AND_SET_LONG -> {
                request.ok((long) LittleEndian.LONGS.get(bytes, at));
                LittleEndian.LONGS.set(bytes, at, call.getB());
            }
            case BUFFER_GET_AND_ADD_LONG -> {
                long previous = (long) LittleEndian.LONGS.get(bytes, at);
                LittleEndian.LONGS.set(bytes, at, previous + call.getB());
                request.ok(previous);
            }
            case BUFFER_COMPARE_AND_SET_LONG -> {
                boolean matches = (long) LittleEndian.LONGS.get(bytes, at) == call.getB();
                if (matches) {
                    LittleEndian.LONGS.set(bytes, at, call.getC());
                }
                request.ok(matches ? 1 : 0);
            }
            case BUFFER_GET_AND_ADD_DOUBLE -> {
                long previous = (long) LittleEndian.LONGS.get(bytes, at);
                double sum = Double.longBitsToDouble(previous) + Double.longBitsToDouble(call.getB());
                LittleEndian.LONGS.set(bytes, at, Double.doubleToRawLongBits(sum));
                request.ok(previous);
            }
            default -> request.fail(Reply.Status.ILLEGAL_STATE, "not a buffer operation: " + call.getOp().name());
        }
    }

    @Override
    void close() {
        hub.release(bytes.length);
    }
}
