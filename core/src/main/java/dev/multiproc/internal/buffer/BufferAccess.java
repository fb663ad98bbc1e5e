package dev.multiproc.internal.buffer;

import java.io.Serializable;

/**
 * The operations a shared buffer's storage carries out. Offsets are in bytes; the caller has checked every range
 * against the buffer's size and the alignment of every element operation (4 for ints, 8 for longs), so an
 * implementation need not check again. Element operations are atomic with volatile semantics.
 */
public interface BufferAccess extends Serializable {

    /** Copies {@code length} bytes from {@code offset} into {@code dst} from {@code dstOffset}. */
    void get(long offset, byte[] dst, int dstOffset, int length);

    /** Copies {@code length} bytes of {@code src} from {@code srcOffset} into the buffer from {@code offset}. */
    void set(long offset, byte[] src, int srcOffset, int length);

    int getInt(long offset);

    void setInt(long offset, int value);

    int getAndSetInt(long offset, int value);

    int getAndAddInt(long offset, int delta);

    boolean compareAndSetInt(long offset, int expected, int value);

    long getLong(long offset);

    void setLong(long offset, long value);

    long getAndSetLong(long offset, long value);

    long getAndAddLong(long offset, long delta);

    boolean compareAndSetLong(long offset, long expected, long value);

    /** Adds to the double at {@code offset} atomically; returns the previous value. */
    double getAndAddDouble(long offset, double delta);

    /** Copies {@code length} little-endian ints from {@code offset} into {@code dst}. */
    default void getInts(long offset, int[] dst, int dstOffset, int length) {
        byte[] bytes = new byte[Math.multiplyExact(length, Integer.BYTES)];
        get(offset, bytes, 0, bytes.length);
        LittleEndian.toInts(bytes, dst, dstOffset, length);
    }

    /** Copies {@code length} ints of {@code src}, little-endian, into the buffer from {@code offset}. */
    default void setInts(long offset, int[] src, int srcOffset, int length) {
        set(offset, LittleEndian.fromInts(src, srcOffset, length), 0, length * Integer.BYTES);
    }

    /** Copies {@code length} little-endian longs from {@code offset} into {@code dst}. */
    default void getLongs(long offset, long[] dst, int dstOffset, int length) {
        byte[] bytes = new byte[Math.multiplyExact(length, Long.BYTES)];
        get(offset, bytes, 0, bytes.length);
        LittleEndian.toLongs(bytes, dst, dstOffset, length);
    }

    /** Copies {@code length} longs of {@code src}, little-endian, into the buffer from {@code offset}. */
    default void setLongs(long offset, long[] src, int srcOffset, int length) {
        set(offset, LittleEndian.fromLongs(src, srcOffset, length), 0, length * Long.BYTES);
    }

    /** Copies {@code length} little-endian doubles from {@code offset} into {@code dst}. */
    default void getDoubles(long offset, double[] dst, int dstOffset, int length) {
        byte[] bytes = new byte[Math.multiplyExact(length, Double.BYTES)];
        get(offset, bytes, 0, bytes.length);
        LittleEndian.toDoubles(bytes, dst, dstOffset, length);
    }

    /** Copies {@code length} doubles of {@code src}, little-endian, into the buffer from {@code offset}. */
    default void setDoubles(long offset, double[] src, int srcOffset, int length) {
        set(offset, LittleEndian.fromDoubles(src, srcOffset, length), 0, length * Double.BYTES);
    }
}
