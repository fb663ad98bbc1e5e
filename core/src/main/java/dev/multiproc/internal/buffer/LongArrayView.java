package dev.multiproc.internal.buffer;

import dev.multiproc.SharedLongArray;
import java.io.Serial;

/** A {@link SharedLongArray} over a range of a shared buffer. */
final class LongArrayView extends ArrayView implements SharedLongArray {
    @Serial
    private static final long serialVersionUID = 1L;

    LongArrayView(SharedBufferImpl buffer, long base, int length) {
        super(buffer, base, length, Long.BYTES);
    }

    @Override
    public long get(int index) {
        return access.getLong(at(index));
    }

    @Override
    public void set(int index, long newValue) {
        access.setLong(at(index), newValue);
    }

    @Override
    public long getAndSet(int index, long newValue) {
        return access.getAndSetLong(at(index), newValue);
    }

    @Override
    public long getAndAdd(int index, long delta) {
        return access.getAndAddLong(at(index), delta);
    }

    @Override
    public boolean compareAndSet(int index, long expectedValue, long newValue) {
        return access.compareAndSetLong(at(index), expectedValue, newValue);
    }

    @Override
    public void get(int index, long[] dst, int dstOffset, int length) {
        access.getLongs(range(index, length, dstOffset, dst.length), dst, dstOffset, length);
    }

    @Override
    public void set(int index, long[] src, int srcOffset, int length) {
        access.setLongs(range(index, length, srcOffset, src.length), src, srcOffset, length);
    }
}
