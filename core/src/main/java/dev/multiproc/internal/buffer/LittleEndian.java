package dev.multiproc.internal.buffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Conversions between typed arrays and the little-endian bytes a buffer stores them as. */
public final class LittleEndian {
    public static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    public static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle DOUBLES = MethodHandles.byteArrayViewVarHandle(double[].class,
            ByteOrder.LITTLE_ENDIAN);

    private LittleEndian() {
    }

    static void toInts(byte[] bytes, int[] dst, int dstOffset, int length) {
        for (int i = 0; i < length; i++) {
            dst[dstOffset + i] = (int) INTS.get(bytes, i * Integer.BYTES);
        }
    }

    static byte[] fromInts(int[] src, int srcOffset, int length) {
        byte[] bytes = new byte[Math.multiplyExact(length, Integer.BYTES)];
        for (int i = 0; i < length; i++) {
            INTS.set(bytes, i * Integer.BYTES, src[srcOffset + i]);
        }
        return bytes;
    }

    static void toLongs(byte[] bytes, long[] dst, int dstOffset, int length) {
        for (int i = 0; i < length; i++) {
            dst[dstOffset + i] = (long) LONGS.get(bytes, i * Long.BYTES);
        }
    }

    static byte[] fromLongs(long[] src, int srcOffset, int length) {
        byte[] bytes = new byte[Math.multiplyExact(length, Long.BYTES)];
        for (int i = 0; i < length; i++) {
            LONGS.set(bytes, i * Long.BYTES, src[srcOffset + i]);
        }
        return bytes;
    }

    static void toDoubles(byte[] bytes, double[] dst, int dstOffset, int length) {
        for (int i = 0; i < length; i++) {
            dst[dstOffset + i] = (double) DOUBLES.get(bytes, i * Double.BYTES);
        }
    }

    static byte[] fromDoubles(double[] src, int srcOffset, int length) {
        byte[] bytes = new byte[Math.multiplyExact(length, Double.BYTES)];
        for (int i = 0; i < length; i++) {
            DOUBLES.set(bytes, i * Double.BYTES, src[srcOffset + i]);
        }
        return bytes;
    }
}
