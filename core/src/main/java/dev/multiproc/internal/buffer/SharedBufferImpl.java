package dev.multiproc.internal.buffer;

import dev.multiproc.SharedBuffer;
import dev.multiproc.SharedDoubleArray;
import dev.multiproc.SharedIntArray;
import dev.multiproc.SharedLock;
import dev.multiproc.SharedLongArray;
import java.io.Serial;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A {@link SharedBuffer} over its storage: checks every range and alignment once, here, and leaves the access to a
 * {@link BufferAccess}. Serialized, it is its name, size, storage handle and lock.
 */
public final class SharedBufferImpl implements SharedBuffer {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String name;
    private final long size;
    final BufferAccess access;
    private final SharedLock lock;

    public SharedBufferImpl(String name, long size, BufferAccess access, SharedLock lock) {
        this.name = name;
        this.size = size;
        this.access = access;
        this.lock = lock;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public byte get(long offset) {
        Objects.checkIndex(offset, size);
        byte[] one = new byte[1];
        access.get(offset, one, 0, 1);
        // a byte is read whole; the fence gives the read the ordering of a volatile one
        VarHandle.acquireFence();
        return one[0];
    }

    @Override
    public void set(long offset, byte value) {
        Objects.checkIndex(offset, size);
        VarHandle.releaseFence();
        access.set(offset, new byte[] {value}, 0, 1);
        VarHandle.fullFence();
    }

    @Override
    public void get(long offset, byte[] dst, int dstOffset, int length) {
        Objects.checkFromIndexSize(offset, length, size);
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        access.get(offset, dst, dstOffset, length);
    }

    @Override
    public void set(long offset, byte[] src, int srcOffset, int length) {
        Objects.checkFromIndexSize(offset, length, size);
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        access.set(offset, src, srcOffset, length);
    }

    @Override
    public SharedIntArray asIntArray() {
        return new IntArrayView(this, 0, elements(Integer.BYTES));
    }

    @Override
    public SharedIntArray asIntArray(long offset, int length) {
        checkView(offset, length, Integer.BYTES);
        return new IntArrayView(this, offset, length);
    }

    @Override
    public SharedLongArray asLongArray() {
        return new LongArrayView(this, 0, elements(Long.BYTES));
    }

    @Override
    public SharedLongArray asLongArray(long offset, int length) {
        checkView(offset, length, Long.BYTES);
        return new LongArrayView(this, offset, length);
    }

    @Override
    public SharedDoubleArray asDoubleArray() {
        return new DoubleArrayView(this, 0, elements(Double.BYTES));
    }

    @Override
    public SharedDoubleArray asDoubleArray(long offset, int length) {
        checkView(offset, length, Double.BYTES);
        return new DoubleArrayView(this, offset, length);
    }

    @Override
    public SharedLock lock() {
        return lock;
    }

    /** @return how many whole elements of this width the buffer holds, at most {@link Integer#MAX_VALUE} */
    private int elements(int width) {
        return (int) Math.min(size / width, Integer.MAX_VALUE);
    }

    private void checkView(long offset, int length, int width) {
        if (offset % width != 0) {
            throw new IllegalArgumentException("a view of " + width + "-byte elements must start at a multiple of "
                    + width + " (atomic access needs aligned elements); offset " + offset + " is not");
        }
        if (length < 0) {
            throw new IllegalArgumentException("a view's length must be at least 0, not " + length);
        }
        Objects.checkFromIndexSize(offset, (long) length * width, size);
    }

    @Override
    public String toString() {
        return "SharedBuffer[" + name + ", " + size + " bytes]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SharedBufferImpl that && that.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }
}
