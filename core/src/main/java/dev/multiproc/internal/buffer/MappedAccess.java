package dev.multiproc.internal.buffer;

import dev.multiproc.spi.NativeBuffer;
import java.io.Serial;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A buffer in memory the transport maps into every process: each element operation is one {@link VarHandle} access
 * with volatile semantics on the mapping (a locked instruction for the read-modify-writes), each bulk copy one
 * {@code ByteBuffer} bulk transfer (a memory copy). No message, no system call; nothing but the mapping is shared.
 */
final class MappedAccess implements BufferAccess {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private final NativeBuffer buffer;

    MappedAccess(NativeBuffer buffer) {
        this.buffer = buffer;
    }

    /** The mapping; {@link NativeBuffer#memory()} checks, on every call, that the buffer's context is open. */
    private ByteBuffer memory() {
        return buffer.memory();
    }

    @Override
    public void get(long offset, byte[] dst, int dstOffset, int length) {
        memory().get((int) offset, dst, dstOffset, length);
    }

    @Override
    public void set(long offset, byte[] src, int srcOffset, int length) {
        memory().put((int) offset, src, srcOffset, length);
    }

    @Override
    public int getInt(long offset) {
        return (int) INTS.getVolatile(memory(), (int) offset);
    }

    @Override
    public void setInt(long offset, int value) {
        INTS.setVolatile(memory(), (int) offset, value);
    }

    @Override
    public int getAndSetInt(long offset, int value) {
        return (int) INTS.getAndSet(memory(), (int) offset, value);
    }

    @Override
    public int getAndAddInt(long offset, int delta) {
        return (int) INTS.getAndAdd(memory(), (int) offset, delta);
    }

    @Override
    public boolean compareAndSetInt(long offset, int expected, int value) {
        return INTS.compareAndSet(memory(), (int) offset, expected, value);
    }

    @Override
    public long getLong(long offset) {
        return (long) LONGS.getVolatile(memory(), (int) offset);
    }

    @Override
    public void setLong(long offset, long value) {
        LONGS.setVolatile(memory(), (int) offset, value);
    }

    @Override
    public long getAndSetLong(long offset, long value) {
        return (long) LONGS.getAndSet(memory(), (int) offset, value);
    }

    @Override
    public long getAndAddLong(long offset, long delta) {
        return (long) LONGS.getAndAdd(memory(), (int) offset, delta);
    }

    @Override
    public boolean compareAndSetLong(long offset, long expected, long value) {
        return LONGS.compareAndSet(memory(), (int) offset, expected, value);
    }

    @Override
    public double getAndAddDouble(long offset, double delta) {
        ByteBuffer memory = memory();
        int at = (int) offset;
        while (true) {
            // a volatile read, then a CAS on the bits read: another process's add in between fails the CAS
            long bits = (long) LONGS.getVolatile(memory, at);
            double previous = Double.longBitsToDouble(bits);
            if (LONGS.compareAndSet(memory, at, bits, Double.doubleToRawLongBits(previous + delta))) {
                return previous;
            }
        }
    }

    @Override
    public void getInts(long offset, int[] dst, int dstOffset, int length) {
        view(offset, length * Integer.BYTES).asIntBuffer().get(dst, dstOffset, length);
    }

    @Override
    public void setInts(long offset, int[] src, int srcOffset, int length) {
        view(offset, length * Integer.BYTES).asIntBuffer().put(src, srcOffset, length);
    }

    @Override
    public void getLongs(long offset, long[] dst, int dstOffset, int length) {
        view(offset, length * Long.BYTES).asLongBuffer().get(dst, dstOffset, length);
    }

    @Override
    public void setLongs(long offset, long[] src, int srcOffset, int length) {
        view(offset, length * Long.BYTES).asLongBuffer().put(src, srcOffset, length);
    }

    @Override
    public void getDoubles(long offset, double[] dst, int dstOffset, int length) {
        view(offset, length * Double.BYTES).asDoubleBuffer().get(dst, dstOffset, length);
    }

    @Override
    public void setDoubles(long offset, double[] src, int srcOffset, int length) {
        view(offset, length * Double.BYTES).asDoubleBuffer().put(src, srcOffset, length);
    }

    /** A little-endian window on the mapping, for a typed bulk copy (a plain memory copy on a little-endian CPU). */
    private ByteBuffer view(long offset, int bytes) {
        return memory().slice((int) offset, bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
