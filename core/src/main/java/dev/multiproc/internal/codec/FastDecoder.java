package dev.multiproc.internal.codec;

import static dev.multiproc.internal.codec.FastFormat.*;

import dev.multiproc.SerializationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads one payload of {@link FastFormat}. One instance per payload; not thread-safe. Every class, built-in or named
 * in the payload, passes the deserialization filter before anything of it is created, and every length is checked
 * against the bytes that are left, so a corrupt or hostile payload fails with a {@link SerializationException}
 * without allocating more than its own size.
 */
final class FastDecoder {
    private final byte[] buf;
    private final ObjectInputFilter filter;
    private final DefaultCodec codec;
    private int pos;
    private int depth;
    private long checkedTags;
    private ArrayList<Object> refs;
    private ArrayList<TypeInfo> classes;
    private int javaStart;
    private int javaLength;
    private ObjectInputStream javaIn;

    FastDecoder(byte[] buf, DefaultCodec codec) {
        this.buf = buf;
        this.codec = codec;
        this.filter = codec.filter;
        this.checkedTags = codec.allowedTags;
    }

    /** Decodes a payload that starts with {@code FORMAT_FAST} or {@code FORMAT_FAST_WITH_JAVA}. */
    Object decode() throws IOException, ClassNotFoundException {
        pos = 1;
        check(null, -1); // the limits that do not depend on a class (maxbytes)
        if (buf[0] == FORMAT_FAST_WITH_JAVA) {
            javaLength = readLength(1);
            javaStart = pos;
            pos += javaLength;
        }
        Object value = readValue();
        if (pos != buf.length) {
            throw corrupt((buf.length - pos) + " bytes follow the value");
        }
        return value;
    }

    int position() {
        return pos;
    }

    private Object readValue() throws IOException, ClassNotFoundException {
        int tag = readByte();
        if (tag >= TAG_COUNT) {
            throw corrupt("unknown tag " + tag);
        }
        if ((checkedTags & (1L << tag)) == 0) {
            checkTag(tag);
        }
        // the common small values first, in a method small enough to inline into the collection loops
        if (tag == INT8) {
            return (int) (byte) readByte();
        }
        if (tag == INT16) {
            return (int) readShort();
        }
        if (tag == STRING_ASCII) {
            return readString(StandardCharsets.ISO_8859_1);
        }
        return readOther(tag);
    }

    private Object readOther(int tag) throws IOException, ClassNotFoundException {
        switch (tag) {
            case NULL:
                return null;
            case FALSE:
                return false;
            case TRUE:
                return true;
            case BYTE:
                return (byte) readByte();
            case SHORT:
                return readShort();
            case CHAR:
                return (char) readShort();
            case INT8:
                return (int) (byte) readByte();
            case INT16:
                return (int) readShort();
            case INT32:
                return readInt();
            case LONG8:
                return (long) (byte) readByte();
            case LONG32:
                return (long) readInt();
            case LONG64:
                return readLong();
            case FLOAT:
                return Float.intBitsToFloat(readInt());
            case DOUBLE:
                return Double.longBitsToDouble(readLong());
            case STRING_ASCII:
                return readString(StandardCharsets.ISO_8859_1);
            case STRING_UTF8:
                return readString(StandardCharsets.UTF_8);
            case REF:
                return readRef();
            case ENUM:
                return readEnum();
            case PROTOBUF:
                return readProtobuf();
            case JAVA:
                return readJava();
            default:
                return readTracked(tag);
        }
    }

    /** Arrays, collections, maps and records: numbered in the order they start, so that REFs can find them. */
    private Object readTracked(int tag) throws IOException, ClassNotFoundException {
        if (refs == null) {
            refs = new ArrayList<>();
        }
        int slot = refs.size();
        refs.add(null);
        if (++depth > MAX_DEPTH) {
            throw corrupt("nested deeper than " + MAX_DEPTH);
        }
        Object value;
        if (tag <= DOUBLES) {
            value = readArray(tag);
        } else if (tag <= IMMUTABLE_SET) {
            value = readCollection(tag);
        } else if (tag <= IMMUTABLE_MAP) {
            value = readMap(tag);
        } else {
            value = readRecord();
        }
        depth--;
        refs.set(slot, value);
        return value;
    }

    private Object readArray(int tag) {
        switch (tag) {
            case BOOLEANS: {
                boolean[] a = new boolean[readLength(1)];
                check(boolean[].class, a.length);
                for (int i = 0; i < a.length; i++) {
                    a[i] = buf[pos++] != 0;
                }
                return a;
            }
            case BYTES: {
                int n = readLength(1);
                check(byte[].class, n);
                byte[] a = Arrays.copyOfRange(buf, pos, pos + n);
                pos += n;
                return a;
            }
            case SHORTS: {
                short[] a = new short[readLength(2)];
                check(short[].class, a.length);
                view(a.length, 2).asShortBuffer().get(a);
                return a;
            }
            case CHARS: {
                char[] a = new char[readLength(2)];
                check(char[].class, a.length);
                view(a.length, 2).asCharBuffer().get(a);
                return a;
            }
            case INTS: {
                int[] a = new int[readLength(4)];
                check(int[].class, a.length);
                view(a.length, 4).asIntBuffer().get(a);
                return a;
            }
            case LONGS: {
                long[] a = new long[readLength(8)];
                check(long[].class, a.length);
                view(a.length, 8).asLongBuffer().get(a);
                return a;
            }
            case FLOATS: {
                float[] a = new float[readLength(4)];
                check(float[].class, a.length);
                view(a.length, 4).asFloatBuffer().get(a);
                return a;
            }
            default: {
                double[] a = new double[readLength(8)];
                check(double[].class, a.length);
                view(a.length, 8).asDoubleBuffer().get(a);
                return a;
            }
        }
    }

    private ByteBuffer view(int length, int width) {
        int bytes = length * width; // readLength checked that these bytes are there
        ByteBuffer view = ByteBuffer.wrap(buf, pos, bytes).slice().order(ByteOrder.LITTLE_ENDIAN);
        pos += bytes;
        return view;
    }

    private Object readCollection(int tag) throws IOException, ClassNotFoundException {
        int n = readLength(1);
        switch (tag) {
            case ARRAY_LIST:
                return fill(new ArrayList<>(n), n);
            case LINKED_LIST:
                @SuppressWarnings("JdkObsolete") // the sender's LinkedList decodes as one
                LinkedList<Object> linked = new LinkedList<>();
                return fill(linked, n);
            case HASH_SET:
                return fill(new HashSet<>(capacity(n)), n);
            case LINKED_HASH_SET:
                return fill(new LinkedHashSet<>(capacity(n)), n);
            case TREE_SET:
                return fill(new TreeSet<>(), n);
            default:
                break;
        }
        Object[] elements = new Object[n];
        boolean nulls = false;
        for (int i = 0; i < n; i++) {
            elements[i] = readValue();
            nulls |= elements[i] == null;
        }
        if (tag == ARRAYS_AS_LIST) {
            return Arrays.asList(elements);
        }
        if (tag == IMMUTABLE_SET) {
            return Set.of(elements);
        }
        // Stream.toList() makes immutable lists that may hold nulls; List.of cannot
        return nulls ? Collections.unmodifiableList(Arrays.asList(elements)) : List.of(elements);
    }

    private Collection<Object> fill(Collection<Object> collection, int n) throws IOException, ClassNotFoundException {
        for (int i = 0; i < n; i++) {
            collection.add(readValue());
        }
        return collection;
    }

    private Object readMap(int tag) throws IOException, ClassNotFoundException {
        int n = readLength(2);
        Map<Object, Object> map;
        switch (tag) {
            case HASH_MAP:
                map = new HashMap<>(capacity(n));
                break;
            case LINKED_HASH_MAP:
                map = new LinkedHashMap<>(capacity(n));
                break;
            case TREE_MAP:
                map = new TreeMap<>();
                break;
            default: {
                @SuppressWarnings({"unchecked", "rawtypes"}) // no generic array creation in Java
                Map.Entry<Object, Object>[] entries = new Map.Entry[n];
                for (int i = 0; i < n; i++) {
                    entries[i] = Map.entry(readValue(), readValue());
                }
                return Map.ofEntries(entries);
            }
        }
        for (int i = 0; i < n; i++) {
            Object key = readValue();
            map.put(key, readValue());
        }
        return map;
    }

    private Object readRecord() throws IOException, ClassNotFoundException {
        TypeInfo info = readClass(RECORD);
        Object[] components = new Object[info.fields.length];
        for (int i = 0; i < components.length; i++) {
            components[i] = readValue();
        }
        try {
            return info.constructor.newInstance(components);
        } catch (InvocationTargetException e) {
            throw new SerializationException("Cannot deserialize a record of " + info.type.getName()
                    + ": its constructor threw " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            throw corrupt("the components do not fit the constructor of " + info.type.getName() + " (" + e + ")");
        }
    }

    private Object readEnum() throws IOException, ClassNotFoundException {
        TypeInfo info = readClass(ENUM);
        String name = readString(StandardCharsets.UTF_8);
        try {
            return constant(info.type, name);
        } catch (IllegalArgumentException e) {
            throw corrupt(info.type.getName() + " has no constant " + name);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object constant(Class<?> type, String name) {
        return Enum.valueOf((Class) type, name);
    }

    private Object readProtobuf() throws IOException, ClassNotFoundException {
        TypeInfo info = readClass(PROTOBUF);
        int n = readLength(1);
        Object message = info.parseProtobuf(buf, pos, n);
        pos += n;
        return message;
    }

    private Object readJava() throws IOException, ClassNotFoundException {
        if (javaLength == 0) {
            throw corrupt("an embedded Java object, but the payload has no Java stream");
        }
        if (refs == null) {
            refs = new ArrayList<>();
        }
        int slot = refs.size();
        refs.add(null);
        if (javaIn == null) {
            javaIn = new JavaSerializationCodec.FilteredInput(new ByteArrayInputStream(buf, javaStart, javaLength),
                    filter);
        }
        Object value = javaIn.readObject();
        refs.set(slot, value);
        return value;
    }

    private Object readRef() {
        int index = readLength(0);
        Object value = refs == null || index >= refs.size() ? null : refs.get(index);
        if (value == null) {
            throw corrupt("a reference to object " + index + ", which has not been decoded");
        }
        return value;
    }

    /** Reads a class reference: a name the first time (resolved, filtered, checked for its kind), then an index. */
    private TypeInfo readClass(int kind) throws ClassNotFoundException {
        if (classes == null) {
            classes = new ArrayList<>(4);
        }
        int index = readLength(0);
        TypeInfo info;
        if (index > 0) {
            if (index > classes.size()) {
                throw corrupt("a reference to class " + (index - 1) + ", which has not been named");
            }
            info = classes.get(index - 1);
        } else {
            String name = readString(StandardCharsets.UTF_8);
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            info = codec.resolved(name, context);
            if (info == null) {
                Class<?> type = resolve(name, context);
                check(type, -1);
                info = TYPES.get(type);
                codec.allowed(name, context, info);
            }
            classes.add(info);
        }
        if (info.tag != kind) {
            throw corrupt("class " + info.type.getName() + " is not a " + (kind == RECORD ? "serializable record"
                    : kind == ENUM ? "enum" : "protobuf message with a static getDefaultInstance()"));
        }
        return info;
    }

    private static Class<?> resolve(String name, ClassLoader context) throws ClassNotFoundException {
        if (context != null) {
            try {
                return Class.forName(name, false, context);
            } catch (ClassNotFoundException e) {
                // fall through to the codec's own loader
            }
        }
        return Class.forName(name, false, FastDecoder.class.getClassLoader());
    }

    /** A built-in class passes the filter once per codec: only its class patterns apply, and those do not change. */
    private void checkTag(int tag) {
        Class<?> type = TAG_CLASSES[tag];
        if (type != null && !type.isArray()) {
            check(type, -1);
        }
        checkedTags |= 1L << tag;
        codec.allowedTags |= 1L << tag; // a racy update can only lose a bit, which costs one more check
    }

    private void check(Class<?> type, long arrayLength) {
        // the filter sees depth and references as Java serialization counts them: nesting, and objects so far
        ObjectInputFilter.Status status = filter.checkInput(
                new Info(type, arrayLength, depth + 1, refs == null ? 0 : refs.size(), buf.length));
        if (status == ObjectInputFilter.Status.REJECTED) {
            throw new SerializationException("Cannot deserialize: the deserialization filter rejected "
                    + (type == null ? "a payload of " + buf.length + " bytes" : type.getName())
                    + (arrayLength >= 0 ? " (length " + arrayLength + ")" : "")
                    + ". If you trust that class, allow it with -D" + JavaSerializationCodec.FILTER_PROPERTY
                    + "=<pattern>.", null);
        }
    }

    private String readString(Charset charset) {
        int n = readLength(1);
        String s = new String(buf, pos, n, charset);
        pos += n;
        return s;
    }

    /** Reads a varint count of elements of at least {@code width} bytes each, and checks that they can be there. */
    private int readLength(int width) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = readByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (value < 0 || (long) value * width > buf.length - pos) {
                    throw corrupt("a length of " + (value & 0xFFFFFFFFL) + " does not fit in the "
                            + (buf.length - pos) + " bytes that are left");
                }
                return value;
            }
        }
        throw corrupt("a malformed length");
    }

    private int readByte() {
        if (pos >= buf.length) {
            throw corrupt("truncated");
        }
        return buf[pos++] & 0xFF;
    }

    private short readShort() {
        need(2);
        short v = (short) ((buf[pos] & 0xFF) | buf[pos + 1] << 8);
        pos += 2;
        return v;
    }

    private int readInt() {
        need(4);
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | buf[pos + 3] << 24;
        pos += 4;
        return v;
    }

    private long readLong() {
        long low = readInt() & 0xFFFFFFFFL;
        return low | (long) readInt() << 32;
    }

    private void need(int n) {
        if (buf.length - pos < n) {
            throw corrupt("truncated");
        }
    }

    private static int capacity(int n) {
        return (int) Math.min(1 << 30, n * 4L / 3 + 1);
    }

    private SerializationException corrupt(String what) {
        return new SerializationException("Cannot deserialize a payload of " + buf.length + " bytes: " + what
                + " at offset " + pos + ". It is corrupt, or was not made by this codec.", null);
    }

    /** What the filter is told about one class. */
    private record Info(Class<?> serialClass, long arrayLength, long depth, long references, long streamBytes)
            implements ObjectInputFilter.FilterInfo {
    }
}
