package dev.multiproc.internal.handle;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.multiproc.internal.Protocol;
import dev.multiproc.internal.buffer.BufferAccess;
import dev.multiproc.internal.protocol.Call;
import dev.multiproc.internal.protocol.Op;
import dev.multiproc.internal.protocol.Reply;
import java.io.Serial;

/**
 * A shared buffer whose bytes live in the parent's hub: each element operation is one call, and a bulk copy is one
 * call per piece of at most {@value #PIECE} bytes (fewer where the context's messages are smaller), never one per
 * byte or element.
 */
public final class HubBuffer extends HubHandle implements BufferAccess {
    @Serial
    private static final long serialVersionUID = 1L;
    /** The largest range one call carries: large enough that a call's cost is the copy, small enough to interleave. */
    static final int PIECE = 4 << 20;

    public HubBuffer(String contextId, long objectId) {
        super(contextId, objectId);
    }

    private int piece() {
        return Math.min(PIECE, invoker().maxMessageSize() - Protocol.FRAMING_ALLOWANCE);
    }

    @Override
    public void get(long offset, byte[] dst, int dstOffset, int length) {
        int piece = piece();
        for (int done = 0; done < length; ) {
            int part = Math.min(piece, length - done);
            ok(now(Op.BUFFER_READ, offset + done, part, null)).getData().copyTo(dst, dstOffset + done);
            done += part;
        }
    }

    @Override
    public void set(long offset, byte[] src, int srcOffset, int length) {
        int piece = piece();
        for (int done = 0; done < length; ) {
            int part = Math.min(piece, length - done);
            // wraps, not copies: the hub has copied the bytes before it answers, and set returns after the answer
            ByteString bytes = UnsafeByteOperations.unsafeWrap(src, srcOffset + done, part);
            ok(now(Op.BUFFER_WRITE, offset + done, 0, bytes));
            done += part;
        }
    }

    @Override
    public int getInt(long offset) {
        return (int) nowValue(Op.BUFFER_GET_INT, offset, 0);
    }

    @Override
    public void setInt(long offset, int value) {
        nowValue(Op.BUFFER_SET_INT, offset, value);
    }

    @Override
    public int getAndSetInt(long offset, int value) {
        return (int) nowValue(Op.BUFFER_GET_AND_SET_INT, offset, value);
    }

    @Override
    public int getAndAddInt(long offset, int delta) {
        return (int) nowValue(Op.BUFFER_GET_AND_ADD_INT, offset, delta);
    }

    @Override
    public boolean compareAndSetInt(long offset, int expected, int value) {
        return compareAndSet(Op.BUFFER_COMPARE_AND_SET_INT, offset, expected, value);
    }

    @Override
    public long getLong(long offset) {
        return nowValue(Op.BUFFER_GET_LONG, offset, 0);
    }

    @Override
    public void setLong(long offset, long value) {
        nowValue(Op.BUFFER_SET_LONG, offset, value);
    }

    @Override
    public long getAndSetLong(long offset, long value) {
        return nowValue(Op.BUFFER_GET_AND_SET_LONG, offset, value);
    }

    @Override
    public long getAndAddLong(long offset, long delta) {
        return nowValue(Op.BUFFER_GET_AND_ADD_LONG, offset, delta);
    }

    @Override
    public boolean compareAndSetLong(long offset, long expected, long value) {
        return compareAndSet(Op.BUFFER_COMPARE_AND_SET_LONG, offset, expected, value);
    }

    @Override
    public double getAndAddDouble(long offset, double delta) {
        return Double.longBitsToDouble(nowValue(Op.BUFFER_GET_AND_ADD_DOUBLE, offset,
                Double.doubleToRawLongBits(delta)));
    }

    /**
     * Asks the hub for what a process that attaches the buffer by name needs.
     *
     * @return the buffer's size and its lock, encoded
     */
    public Reply attach() {
        return ok(now(Op.BUFFER_ATTACH, 0, 0, null));
    }

    private boolean compareAndSet(Op op, long offset, long expected, long value) {
        Call.Builder call = Call.newBuilder().setObjectId(objectId).setOp(op).setA(offset).setB(expected).setC(value)
                .setTimeoutNanos(FOREVER);
        Reply reply;
        try {
            reply = request(call, false, null);
        } catch (InterruptedException e) {
            throw new AssertionError("uninterruptible call was interrupted", e);
        }
        return ok(reply).getValue() == 1;
    }


    @Override
    String describe() {
        return "SharedBuffer#" + objectId;
    }
}
