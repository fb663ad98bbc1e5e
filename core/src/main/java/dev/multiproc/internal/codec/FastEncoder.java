package dev.multiproc.internal.codec;

import static dev.multiproc.internal.codec.FastFormat.*;

import dev.multiproc.SerializationException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * Writes one value in {@link FastFormat}. Not thread-safe: {@link DefaultCodec} keeps one per thread and reuses its
 * buffer and tables, which it clears (and shrinks, when a large value grew them) after each value.
 */
final class FastEncoder {
    /** Thrown when the value must go whole through Java serialization: a cycle, too deep, or Java refused a part. */
    static final class Fallback extends Exception {
        private static final long serialVersionUID = 1L;

        Fallback() {
            super(null, null, false, false);
        }
    }

    @SuppressWarnings("StaticAssignmentOfThrowable") // stackless and immutable: a signal, never thrown to users
    private static final Fallback FALLBACK = new Fallback();
    private static final int INITIAL_BUFFER = 1024;
    private static final int KEPT_BUFFER = 64 * 1024;
    /** What an IdentityHashMap of the default capacity holds before it grows its table. */
    private static final int SMALL_REFS = 21;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

    /** True while a value is being written; a nested call (from a writeObject method) gets a fresh encoder. */
    boolean busy;

    private byte[] buf = new byte[INITIAL_BUFFER];
    private int pos;
    private IdentityHashMap<Object, Integer> refs = new IdentityHashMap<>();
    private int nextRef;
    private IdentityHashMap<Class<?>, Integer> classes;
    private Object[] stack = new Object[16];
    private int depth;
    private ExposedBytes javaBytes;
    private ObjectOutputStream javaOut;

    /**
     * @return the payload, starting with its format byte
     * @throws Fallback if the value must be sent with Java serialization as a whole
     */
    byte[] encode(Object value) throws Fallback {
        try {
            pos = 1; // buf[0] is the format byte
            writeValue(value);
            if (javaOut == null) {
                buf[0] = FORMAT_FAST;
                return Arrays.copyOf(buf, pos);
            }
            javaOut.flush();
            int javaLength = javaBytes.size();
            byte[] out = new byte[1 + varintSize(javaLength) + javaLength + pos - 1];
            out[0] = FORMAT_FAST_WITH_JAVA;
            int at = putVarint(out, 1, javaLength);
            System.arraycopy(javaBytes.array(), 0, out, at, javaLength);
            System.arraycopy(buf, 1, out, at + javaLength, pos - 1);
            return out;
        } catch (IOException e) {
            throw FALLBACK;
        } finally {
            reset();
        }
    }

    private void reset() {
        if (buf.length > KEPT_BUFFER) {
            buf = new byte[INITIAL_BUFFER];
        }
        if (nextRef > SMALL_REFS) {
            refs = new IdentityHashMap<>(); // clear() would sweep the grown table on every later value
        } else if (nextRef > 0) {
            refs.clear();
        }
        nextRef = 0;
        if (classes != null) {
            classes.clear();
        }
        Arrays.fill(stack, 0, depth, null);
        depth = 0;
        javaOut = null;
        javaBytes = null;
    }

    private void writeValue(Object value) throws Fallback, IOException {
        if (value == null) {
            putTag(NULL);
            return;
        }
        Class<?> type = value.getClass();
        if (type == Integer.class) {
            writeInt((Integer) value);
            return;
        }
        if (type == String.class) {
            writeString((String) value);
            return;
        }
        writeOther(value, type);
    }

    /** Everything but null, Integer and String: kept apart so that the hot part above inlines into loops. */
    private void writeOther(Object value, Class<?> type) throws Fallback, IOException {
        TypeInfo info = TYPES.get(type);
        int tag = info.tag;
        switch (tag) {
            case TRUE -> putTag((Boolean) value ? TRUE : FALSE);
            case BYTE -> {
                ensure(2);
                buf[pos++] = BYTE;
                buf[pos++] = (Byte) value;
            }
            case SHORT -> {
                ensure(3);
                buf[pos++] = SHORT;
                putShort((Short) value);
            }
            case CHAR -> {
                ensure(3);
                buf[pos++] = CHAR;
                putShort((short) ((Character) value).charValue());
            }
            case LONG64 -> writeLong((Long) value);
            case FLOAT -> {
                ensure(5);
                buf[pos++] = FLOAT;
                putInt(Float.floatToRawIntBits((Float) value));
            }
            case DOUBLE -> {
                ensure(9);
                buf[pos++] = DOUBLE;
                putLong(Double.doubleToRawLongBits((Double) value));
            }
            case BOOLEANS, BYTES, SHORTS, CHARS, INTS, LONGS, FLOATS, DOUBLES -> {
                if (!shared(value)) {
                    writeArray(tag, value);
                }
            }
            case ARRAY_LIST, LINKED_LIST, IMMUTABLE_LIST, ARRAYS_AS_LIST, HASH_SET, LINKED_HASH_SET,
                    IMMUTABLE_SET -> {
                if (!shared(value)) {
                    enter(value);
                    writeCollection(tag, (Collection<?>) value);
                    exit();
                }
            }
            case TREE_SET -> {
                if (((SortedSet<?>) value).comparator() != null) {
                    writeJava(value);
                } else if (!shared(value)) {
                    enter(value);
                    writeCollection(tag, (Collection<?>) value);
                    exit();
                }
            }
            case HASH_MAP, LINKED_HASH_MAP, IMMUTABLE_MAP -> {
                if (!shared(value)) {
                    enter(value);
                    writeMap(tag, (Map<?, ?>) value);
                    exit();
                }
            }
            case TREE_MAP -> {
                if (((SortedMap<?, ?>) value).comparator() != null) {
                    writeJava(value);
                } else if (!shared(value)) {
                    enter(value);
                    writeMap(tag, (Map<?, ?>) value);
                    exit();
                }
            }
            case RECORD -> {
                if (!shared(value)) {
                    enter(value);
                    writeRecord(info, value);
                    exit();
                }
            }
            case ENUM -> {
                putTag(ENUM);
                writeClass(info.type);
                writeUtf8(((Enum<?>) value).name());
            }
            case PROTOBUF -> writeProtobuf(info, value);
            default -> writeJava(value);
        }
    }

    /** Numbers the object the first time; writes a reference (and returns true) when it was seen before. */
    private boolean shared(Object value) throws Fallback {
        int id = nextRef;
        Integer previous = refs.put(value, id);
        if (previous == null) {
            nextRef++;
            return false;
        }
        refs.put(value, previous);
        for (int i = 0; i < depth; i++) {
            if (stack[i] == value) {
                throw FALLBACK; // a cycle: Java serialization keeps it
            }
        }
        putTag(REF);
        writeVarint(previous);
        return true;
    }

    private void enter(Object value) throws Fallback {
        if (depth == MAX_DEPTH) {
            throw FALLBACK;
        }
        if (depth == stack.length) {
            stack = Arrays.copyOf(stack, depth * 2);
        }
        stack[depth++] = value;
    }

    private void exit() {
        stack[--depth] = null;
    }

    private void writeCollection(int tag, Collection<?> collection) throws Fallback, IOException {
        int size = collection.size();
        putTag(tag);
        writeVarint(size);
        ensure(Math.min(size, MAX_ARRAY / 4) * 2); // grow once, not by doubling, for big collections
        int written = 0;
        if (collection instanceof List<?> list && collection instanceof RandomAccess) {
            for (; written < size; written++) {
                writeValue(list.get(written));
            }
        } else {
            for (Object element : collection) {
                if (written++ == size) {
                    break;
                }
                writeValue(element);
            }
        }
        if (written != size || collection.size() != size) {
            throw new ConcurrentModificationException("a collection changed while it was being encoded");
        }
    }

    private void writeMap(int tag, Map<?, ?> map) throws Fallback, IOException {
        int size = map.size();
        putTag(tag);
        writeVarint(size);
        ensure(Math.min(size, MAX_ARRAY / 4) * 2);
        int written = 0;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (written++ == size) {
                break;
            }
            writeValue(entry.getKey());
            writeValue(entry.getValue());
        }
        if (written != size || map.size() != size) {
            throw new ConcurrentModificationException("a map changed while it was being encoded");
        }
    }

    private void writeRecord(TypeInfo info, Object record) throws Fallback, IOException {
        putTag(RECORD);
        writeClass(info.type);
        try {
            for (Field field : info.fields) {
                writeValue(field.get(record));
            }
        } catch (IllegalAccessException e) {
            throw FALLBACK;
        }
    }

    private void writeProtobuf(TypeInfo info, Object message) {
        byte[] bytes = info.protobufBytes(message);
        putTag(PROTOBUF);
        writeClass(info.type);
        writeVarint(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    private void writeJava(Object value) throws Fallback, IOException {
        if (shared(value)) {
            return;
        }
        if (javaOut == null) {
            javaBytes = new ExposedBytes();
            javaOut = new ObjectOutputStream(javaBytes);
        }
        try {
            javaOut.writeObject(value);
        } catch (IOException | RuntimeException e) {
            throw FALLBACK; // encoding the whole value with Java serialization reports it with its path
        }
        putTag(JAVA);
    }

    private void writeClass(Class<?> type) {
        if (classes == null) {
            classes = new IdentityHashMap<>();
        }
        Integer index = classes.get(type);
        if (index != null) {
            writeVarint(index + 1);
            return;
        }
        classes.put(type, classes.size());
        writeVarint(0);
        writeUtf8(type.getName());
    }

    private void writeArray(int tag, Object array) {
        putTag(tag);
        switch (tag) {
            case BOOLEANS -> {
                boolean[] a = (boolean[]) array;
                writeVarint(a.length);
                ensure(a.length);
                for (boolean b : a) {
                    buf[pos++] = (byte) (b ? 1 : 0);
                }
            }
            case BYTES -> {
                byte[] a = (byte[]) array;
                writeVarint(a.length);
                ensure(a.length);
                System.arraycopy(a, 0, buf, pos, a.length);
                pos += a.length;
            }
            case SHORTS -> {
                short[] a = (short[]) array;
                view(a.length, 2).asShortBuffer().put(a);
            }
            case CHARS -> {
                char[] a = (char[]) array;
                view(a.length, 2).asCharBuffer().put(a);
            }
            case INTS -> {
                int[] a = (int[]) array;
                view(a.length, 4).asIntBuffer().put(a);
            }
            case LONGS -> {
                long[] a = (long[]) array;
                view(a.length, 8).asLongBuffer().put(a);
            }
            case FLOATS -> {
                float[] a = (float[]) array;
                view(a.length, 4).asFloatBuffer().put(a);
            }
            default -> {
                double[] a = (double[]) array;
                view(a.length, 8).asDoubleBuffer().put(a);
            }
        }
    }

    /** Writes the length and returns a little-endian view of the next {@code length * width} bytes. */
    private ByteBuffer view(int length, int width) {
        writeVarint(length);
        long bytes = (long) length * width;
        if (bytes > MAX_ARRAY) {
            throw new SerializationException("Cannot serialize an array of " + length + " elements: too large", null);
        }
        ensure((int) bytes);
        ByteBuffer view = ByteBuffer.wrap(buf, pos, (int) bytes).slice().order(ByteOrder.LITTLE_ENDIAN);
        pos += (int) bytes;
        return view;
    }

    private void writeInt(int v) {
        ensure(5);
        if (v == (byte) v) {
            buf[pos++] = INT8;
            buf[pos++] = (byte) v;
        } else if (v == (short) v) {
            buf[pos++] = INT16;
            putShort((short) v);
        } else {
            buf[pos++] = INT32;
            putInt(v);
        }
    }

    private void writeLong(long v) {
        ensure(9);
        if (v == (byte) v) {
            buf[pos++] = LONG8;
            buf[pos++] = (byte) v;
        } else if (v == (int) v) {
            buf[pos++] = LONG32;
            putInt((int) v);
        } else {
            buf[pos++] = LONG64;
            putLong(v);
        }
    }

    /** Short ASCII strings are copied char by char; others (and long ones) go through the JDK's UTF-8 encoder. */
    private void writeString(String s) {
        int n = s.length();
        if (n < 64) {
            ensure(2 + n);
            int start = pos;
            buf[pos++] = STRING_ASCII;
            buf[pos++] = (byte) n;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    pos = start;
                    putTag(STRING_UTF8);
                    writeUtf8(s);
                    return;
                }
                buf[pos++] = (byte) c;
            }
            return;
        }
        putTag(STRING_UTF8);
        writeUtf8(s);
    }

    private void writeUtf8(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeVarint(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    private void putTag(int tag) {
        ensure(1);
        buf[pos++] = (byte) tag;
    }

    private void writeVarint(int v) {
        ensure(5);
        pos = putVarint(buf, pos, v);
    }

    static int putVarint(byte[] to, int at, int v) {
        while ((v & ~0x7F) != 0) {
            to[at++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        to[at++] = (byte) v;
        return at;
    }

    private static int varintSize(int v) {
        int size = 1;
        while ((v & ~0x7F) != 0) {
            size++;
            v >>>= 7;
        }
        return size;
    }

    private void putShort(short v) {
        buf[pos] = (byte) v;
        buf[pos + 1] = (byte) (v >> 8);
        pos += 2;
    }

    private void putInt(int v) {
        buf[pos] = (byte) v;
        buf[pos + 1] = (byte) (v >> 8);
        buf[pos + 2] = (byte) (v >> 16);
        buf[pos + 3] = (byte) (v >> 24);
        pos += 4;
    }

    private void putLong(long v) {
        putInt((int) v);
        putInt((int) (v >> 32));
    }

    private void ensure(int n) {
        if (buf.length - pos < n) {
            long wanted = Math.max((long) buf.length * 2, (long) pos + n);
            if (wanted > MAX_ARRAY) {
                if ((long) pos + n > MAX_ARRAY) {
                    throw new SerializationException("Cannot serialize: the encoding would exceed 2 GiB", null);
                }
                wanted = MAX_ARRAY;
            }
            buf = Arrays.copyOf(buf, (int) wanted);
        }
    }

    /** A ByteArrayOutputStream whose array can be read without a copy. */
    private static final class ExposedBytes extends ByteArrayOutputStream {
        ExposedBytes() {
            super(256);
        }

        byte[] array() {
            return buf;
        }
    }
}
