package dev.multiproc.internal.buffer;

import dev.multiproc.SharedBuffer;
import dev.multiproc.SharedLock;
import java.io.Serializable;
import java.util.Objects;

/** What the three typed views share: their buffer, where they start in it, their length, and index checks. */
abstract class ArrayView implements Serializable {
    private static final long serialVersionUID = 1L;

    final SharedBufferImpl buffer;
    final BufferAccess access;
    private final long base;
    private final int length;
    private final int width;

    ArrayView(SharedBufferImpl buffer, long base, int length, int width) {
        this.buffer = buffer;
        this.access = buffer.access;
        this.base = base;
        this.length = length;
        this.width = width;
    }

    public final int length() {
        return length;
    }

    public final SharedLock lock() {
        return buffer.lock();
    }

    public final SharedBuffer buffer() {
        return buffer;
    }

    /** @return the byte offset of element {@code index}, checked */
    final long at(int index) {
        return base + (long) Objects.checkIndex(index, length) * width;
    }

    /** @return the byte offset of element {@code index}, with the ranges of a bulk copy checked */
    final long range(int index, int count, int arrayOffset, int arrayLength) {
        Objects.checkFromIndexSize(index, count, length);
        Objects.checkFromIndexSize(arrayOffset, count, arrayLength);
        return base + (long) index * width;
    }

    @Override
    public final String toString() {
        return getClass().getSimpleName().replace("View", "") + "[" + length + " from byte " + base + " of "
                + buffer.name() + "]";
    }

    @Override
    public final boolean equals(Object other) {
        return other instanceof ArrayView that && that.getClass() == getClass() && that.buffer.equals(buffer)
                && that.base == base && that.length == length;
    }

    @Override
    public final int hashCode() {
        return Objects.hash(buffer, base, length);
    }
}
