package dev.multiproc.internal.buffer;

import dev.multiproc.SharedIntArray;
import java.io.Serial;

/** A {@link SharedIntArray} over a range of a shared buffer. */
final class IntArrayView extends ArrayView implements SharedIntArray {
    @Serial
    private static final long serialVersionUID = 1L;

    IntArrayView(SharedBufferImpl buffer, long base, int length) {
        super(buffer, base, length, Integer.BYTES);
    }

    @Override
    public int get(int index) {
        return access.getInt(at(index));
    }

    @Override
    public void set(int index, int newValue) {
        access.setInt(at(index), newValue);
    }

    @Override
    public int getAndSet(int index, int newValue) {
        return access.getAndSetInt(at(index), newValue);
    }

    @Override
    public int getAndAdd(int index, int delta) {
        return access.getAndAddInt(at(index), delta);
    }

    @Override
    public boolean compareAndSet(int index, int expectedValue, int newValue) {
        return access.compareAndSetInt(at(index), expectedValue, newValue);
    }

    @Override
    public void get(int index, int[] dst, int dstOffset, int length) {
        access.getInts(range(index, length, dstOffset, dst.length), dst, dstOffset, length);
    }

    @Override
    public void set(int index, int[] src, int srcOffset, int length) {
        access.setInts(range(index, length, srcOffset, src.length), src, srcOffset, length);
    }
}
