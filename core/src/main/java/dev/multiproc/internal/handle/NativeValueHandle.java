package dev.multiproc.internal.handle;

import dev.multiproc.SharedValue;
import dev.multiproc.spi.NativeValue;
import java.io.Serial;

/**
 * A {@link SharedValue} over a transport's {@link NativeValue}: core encodes, decodes and checks sizes, the
 * transport keeps the bytes. Thread- and process-safe as the native value is.
 *
 * @param <T> the value type
 */
public final class NativeValueHandle<T> implements SharedValue<T> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final NativeValue value;
    private final long maxSize;

    /**
     * @param value the transport's value
     * @param maxSize the largest encoded value it holds (see {@link dev.multiproc.spi.NativePrimitives#maxValueSize})
     */
    public NativeValueHandle(NativeValue value, long maxSize) {
        this.value = value;
        this.maxSize = maxSize;
    }

    /**
     * @return {@code object} encoded by the context's codec
     * @throws IllegalArgumentException if it is larger than the transport's values hold; nothing was stored
     */
    public static byte[] encode(Object object, long maxSize) {
        byte[] bytes = HubHandle.codec().encode(object);
        if (bytes.length > maxSize) {
            throw new IllegalArgumentException("a SharedValue of " + bytes.length + " bytes (encoded) exceeds the"
                    + " maximum of " + maxSize + " bytes this transport's shared values hold; nothing was stored."
                    + " Share it in parts, or in a SharedBuffer");
        }
        return bytes;
    }

    @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"}) // the value's type, as set
    private static <T> T decode(byte[] bytes) {
        return (T) HubHandle.codec().decode(bytes);
    }

    @Override
    public T get() {
        return decode(value.get());
    }

    @Override
    public void set(T newValue) {
        value.set(encode(newValue, maxSize));
    }

    @Override
    public T getAndSet(T newValue) {
        return decode(value.getAndSet(encode(newValue, maxSize)));
    }

    @Override
    public String toString() {
        return "SharedValue[" + value + "]";
    }
}
