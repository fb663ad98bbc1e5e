package dev.multiproc.internal.buffer;

import dev.multiproc.SharedDoubleArray;
import java.io.Serial;

/** A {@link SharedDoubleArray} over a range of a shared buffer. */
final class DoubleArrayView extends ArrayView implements SharedDoubleArray {
    @Serial
    private static final long serialVersionUID = 1L;

    DoubleArrayView(SharedBufferImpl buffer, long base, int length) {
        super(buffer, base, length, Double.BYTES);
    }

    @Override
    public double get(int index) {
        return Double.longBitsToDouble(access.getLong(at(index)));
    }

    @Override
    public void set(int index, double newValue) {
        access.setLong(at(index), Double.doubleToRawLongBits(newValue));
    }

    @Override
    public double getAndSet(int index, double newValue) {
        return Double.longBitsToDouble(access.getAndSetLong(at(index), Double.doubleToRawLongBits(newValue)));
    }

    @Override
    public double getAndAdd(int index, double delta) {
        return access.getAndAddDouble(at(index), delta);
    }

    @Override
    public boolean compareAndSet(int index, double expectedValue, double newValue) {
        return access.compareAndSetLong(at(index), Double.doubleToRawLongBits(expectedValue),
                Double.doubleToRawLongBits(newValue));
    }

    @Override
    public void get(int index, double[] dst, int dstOffset, int length) {
        access.getDoubles(range(index, length, dstOffset, dst.length), dst, dstOffset, length);
    }

    @Override
    public void set(int index, double[] src, int srcOffset, int length) {
        access.setDoubles(range(index, length, srcOffset, src.length), src, srcOffset, length);
    }
}
