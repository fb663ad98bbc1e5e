package dev.multiproc.internal.codec;

import java.io.IOException;
import java.io.Serializable;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
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
 * The tagged binary format of {@link DefaultCodec}: format bytes, value tags, and what the codec knows about each
 * class (its tag, and for records, enums and protobuf messages how to take them apart and build them again).
 *
 * <pre>
 * payload   := 0xAC 0xED ...                          plain Java serialization (the root is not a fast type)
 *            | 0xF1 value                             fast format, version 1
 *            | 0xF2 varint(n) javaStream[n] value     fast format, version 1, with embedded Java objects
 * value     := tag body                               one byte of tag, then a body that depends on it
 * int       := INT8 i8 | INT16 i16 | INT32 i32        (little-endian, the smallest that holds the value)
 * string    := STRING_ASCII varint(n) ascii[n] | STRING_UTF8 varint(n) utf8[n]
 * array     := tag varint(length) elements            raw little-endian elements (boolean: one byte each)
 * list, set := tag varint(size) value*
 * map       := tag varint(size) (value value)*
 * record    := RECORD class value*                    the components, in declaration order
 * enum      := ENUM class name                        name as varint(n) utf8[n]
 * protobuf  := PROTOBUF class varint(n) bytes[n]      the message's own encoding (its toByteArray())
 * java      := JAVA                                   the next object of the embedded Java stream
 * ref       := REF varint(index)                      an object already decoded (shared reference)
 * class     := varint(0) name | varint(index + 1)     a name the first time, its index in this payload after
 * </pre>
 *
 * Lists, sets, maps, arrays, records and embedded Java objects are numbered in the order they start; a second
 * occurrence of the same object is written as a {@code REF} to that number, so shared references stay shared.
 *
 * <p>Protobuf messages are the application's, of whatever protobuf-java version it brings: core's own protobuf
 * runtime is relocated into its jar, so the codec reaches the application's through reflection, never by linking.
 */
final class FastFormat {
    static final byte FORMAT_JAVA = (byte) 0xAC;
    static final byte FORMAT_FAST = (byte) 0xF1;
    static final byte FORMAT_FAST_WITH_JAVA = (byte) 0xF2;

    /** Deeper values are sent with Java serialization; deeper payloads are refused. */
    static final int MAX_DEPTH = 256;

    static final int NULL = 0;
    static final int FALSE = 1;
    static final int TRUE = 2;
    static final int BYTE = 3;
    static final int SHORT = 4;
    static final int CHAR = 5;
    static final int INT8 = 6;
    static final int INT16 = 7;
    static final int INT32 = 8;
    static final int LONG8 = 9;
    static final int LONG32 = 10;
    static final int LONG64 = 11;
    static final int FLOAT = 12;
    static final int DOUBLE = 13;
    static final int STRING_ASCII = 14;
    static final int STRING_UTF8 = 15;
    static final int BOOLEANS = 16;
    static final int BYTES = 17;
    static final int SHORTS = 18;
    static final int CHARS = 19;
    static final int INTS = 20;
    static final int LONGS = 21;
    static final int FLOATS = 22;
    static final int DOUBLES = 23;
    static final int ARRAY_LIST = 24;
    static final int LINKED_LIST = 25;
    static final int IMMUTABLE_LIST = 26;
    static final int ARRAYS_AS_LIST = 27;
    static final int HASH_SET = 28;
    static final int LINKED_HASH_SET = 29;
    static final int TREE_SET = 30;
    static final int IMMUTABLE_SET = 31;
    static final int HASH_MAP = 32;
    static final int LINKED_HASH_MAP = 33;
    static final int TREE_MAP = 34;
    static final int IMMUTABLE_MAP = 35;
    static final int RECORD = 36;
    static final int ENUM = 37;
    static final int PROTOBUF = 38;
    static final int JAVA = 39;
    static final int REF = 40;
    static final int TAG_COUNT = 41;

    /** The class each tag stands for, as the deserialization filter sees it; null for tags without one. */
    static final Class<?>[] TAG_CLASSES = new Class<?>[TAG_COUNT];

    static {
        Class<?>[] t = TAG_CLASSES;
        t[FALSE] = Boolean.class;
        t[TRUE] = Boolean.class;
        t[BYTE] = Byte.class;
        t[SHORT] = Short.class;
        t[CHAR] = Character.class;
        t[INT8] = Integer.class;
        t[INT16] = Integer.class;
        t[INT32] = Integer.class;
        t[LONG8] = Long.class;
        t[LONG32] = Long.class;
        t[LONG64] = Long.class;
        t[FLOAT] = Float.class;
        t[DOUBLE] = Double.class;
        t[STRING_ASCII] = String.class;
        t[STRING_UTF8] = String.class;
        t[BOOLEANS] = boolean[].class;
        t[BYTES] = byte[].class;
        t[SHORTS] = short[].class;
        t[CHARS] = char[].class;
        t[INTS] = int[].class;
        t[LONGS] = long[].class;
        t[FLOATS] = float[].class;
        t[DOUBLES] = double[].class;
        t[ARRAY_LIST] = ArrayList.class;
        t[LINKED_LIST] = LinkedList.class;
        t[IMMUTABLE_LIST] = List.of().getClass();
        t[ARRAYS_AS_LIST] = Arrays.asList().getClass();
        t[HASH_SET] = HashSet.class;
        t[LINKED_HASH_SET] = LinkedHashSet.class;
        t[TREE_SET] = TreeSet.class;
        t[IMMUTABLE_SET] = Set.of().getClass();
        t[HASH_MAP] = HashMap.class;
        t[LINKED_HASH_MAP] = LinkedHashMap.class;
        t[TREE_MAP] = TreeMap.class;
        t[IMMUTABLE_MAP] = Map.of().getClass();
    }

    /**
     * The application's protobuf interface that marks a message. Built at run time on purpose: the build relocates
     * core's own protobuf runtime and rewrites every string constant that names its package (a literal, or a
     * concatenation javac folds into one), which would make this the relocated name and miss the application's
     * messages.
     */
    private static final String MESSAGE_LITE = String.join(".", "com", "google", "protobuf", "MessageLite");

    /** The tag of every class the fast path takes; everything else is {@link #JAVA}. */
    static final ClassValue<TypeInfo> TYPES = new ClassValue<>() {
        @Override
        protected TypeInfo computeValue(Class<?> type) {
            return TypeInfo.of(type);
        }
    };

    private FastFormat() {
    }

    /** What the codec knows about one class. Immutable; computed once per class. */
    static final class TypeInfo {
        private static final Map<Class<?>, Integer> EXACT = exactClasses();

        final int tag;
        final Class<?> type;
        /** Records: the component fields, read as Java serialization reads them (not through accessors). */
        final Field[] fields;
        /** Records: the canonical constructor. */
        final Constructor<?> constructor;
        /** Protobuf messages: {@code (byte[], int, int) -> Object}, the class's own parser's parseFrom. */
        private final MethodHandle parse;
        /** Protobuf messages: {@code (Object) -> byte[]}, the message's toByteArray(). */
        private final MethodHandle serialize;

        private TypeInfo(int tag, Class<?> type, Field[] fields, Constructor<?> constructor) {
            this(tag, type, fields, constructor, null, null);
        }

        private TypeInfo(int tag, Class<?> type, Field[] fields, Constructor<?> constructor, MethodHandle parse,
                MethodHandle serialize) {
            this.tag = tag;
            this.type = type;
            this.fields = fields;
            this.constructor = constructor;
            this.parse = parse;
            this.serialize = serialize;
        }

        private static Map<Class<?>, Integer> exactClasses() {
            Map<Class<?>, Integer> exact = new HashMap<>();
            exact.put(Boolean.class, TRUE);
            exact.put(Byte.class, BYTE);
            exact.put(Short.class, SHORT);
            exact.put(Character.class, CHAR);
            exact.put(Integer.class, INT32);
            exact.put(Long.class, LONG64);
            exact.put(Float.class, FLOAT);
            exact.put(Double.class, DOUBLE);
            exact.put(String.class, STRING_UTF8);
            for (int tag = BOOLEANS; tag <= IMMUTABLE_MAP; tag++) {
                exact.put(TAG_CLASSES[tag], tag);
            }
            // the immutable collections have two classes each: List12 for 1-2 elements, ListN for the rest
            exact.put(List.of(1).getClass(), IMMUTABLE_LIST);
            exact.put(List.of(1, 2, 3).getClass(), IMMUTABLE_LIST);
            exact.put(Set.of(1).getClass(), IMMUTABLE_SET);
            exact.put(Set.of(1, 2, 3).getClass(), IMMUTABLE_SET);
            exact.put(Map.of(1, 1).getClass(), IMMUTABLE_MAP);
            exact.put(Map.of(1, 1, 2, 2).getClass(), IMMUTABLE_MAP);
            return exact;
        }

        static TypeInfo of(Class<?> type) {
            Integer exact = EXACT.get(type);
            if (exact != null) {
                return new TypeInfo(exact, type, null, null);
            }
            if (type.isEnum()) {
                return new TypeInfo(ENUM, type, null, null);
            }
            if (type.getSuperclass() != null && type.getSuperclass().isEnum()) {
                return new TypeInfo(ENUM, type.getSuperclass(), null, null); // a constant with a body
            }
            try {
                if (type.isRecord()) {
                    return record(type);
                }
                Class<?> messageLite = messageLite(type);
                if (messageLite != null) {
                    return protobuf(type, messageLite);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // not accessible to us (a module that does not open it), or not a generated message: Java serialization
            }
            return new TypeInfo(JAVA, type, null, null);
        }

        /** A record goes the fast way only if Java serialization would rebuild it through its canonical constructor. */
        private static TypeInfo record(Class<?> type) throws ReflectiveOperationException {
            if (!Serializable.class.isAssignableFrom(type) || declares(type, "writeReplace")
                    || declares(type, "readResolve")) {
                return new TypeInfo(JAVA, type, null, null);
            }
            RecordComponent[] components = type.getRecordComponents();
            Field[] fields = new Field[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                fields[i] = type.getDeclaredField(components[i].getName());
                fields[i].setAccessible(true);
                types[i] = components[i].getType();
            }
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return new TypeInfo(RECORD, type, fields, constructor);
        }

        /**
         * A generated message: the class's default instance gives its parser. Everything is looked up on the
         * application's {@code MessageLite} and {@code Parser} interfaces (public, in an exported package), so the
         * handles work whichever class loader or module the message and its runtime come from.
         */
        private static TypeInfo protobuf(Class<?> type, Class<?> messageLite) throws ReflectiveOperationException {
            Method method = type.getMethod("getDefaultInstance");
            if (!Modifier.isStatic(method.getModifiers()) || method.getReturnType() != type) {
                return new TypeInfo(JAVA, type, null, null);
            }
            Object instance = method.invoke(null);
            Method getParser = messageLite.getMethod("getParserForType");
            Object parser = getParser.invoke(instance);
            Method parseFrom = getParser.getReturnType().getMethod("parseFrom", byte[].class, int.class, int.class);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodHandle parse = lookup.unreflect(parseFrom).bindTo(parser)
                    .asType(MethodType.methodType(Object.class, byte[].class, int.class, int.class));
            MethodHandle serialize = lookup.unreflect(messageLite.getMethod("toByteArray"))
                    .asType(MethodType.methodType(byte[].class, Object.class));
            return new TypeInfo(PROTOBUF, type, null, null, parse, serialize);
        }

        /** @return the {@code com.google.protobuf.MessageLite} that {@code type} implements, or null */
        private static Class<?> messageLite(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                Class<?> found = messageLiteAmong(c.getInterfaces());
                if (found != null) {
                    return found;
                }
            }
            return null;
        }

        private static Class<?> messageLiteAmong(Class<?>[] interfaces) {
            for (Class<?> candidate : interfaces) {
                if (candidate.getName().equals(MESSAGE_LITE)) {
                    return candidate;
                }
                Class<?> found = messageLiteAmong(candidate.getInterfaces());
                if (found != null) {
                    return found;
                }
            }
            return null;
        }

        /**
         * A protobuf message: its encoding.
         *
         * @param message an instance of {@link #type}
         * @return what its {@code toByteArray()} returns
         */
        byte[] protobufBytes(Object message) {
            try {
                return (byte[]) serialize.invokeExact(message);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("MessageLite.toByteArray() threw " + e, e); // it declares nothing
            }
        }

        /**
         * A protobuf message: parses one with the class's parser.
         *
         * @throws IOException if the bytes are not a valid message (protobuf's InvalidProtocolBufferException)
         */
        Object parseProtobuf(byte[] bytes, int offset, int length) throws IOException {
            try {
                return parse.invokeExact(bytes, offset, length);
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IOException("Parser.parseFrom threw " + e, e); // it declares only an IOException
            }
        }

        private static boolean declares(Class<?> type, String method) {
            try {
                return type.getDeclaredMethod(method) != null;
            } catch (NoSuchMethodException e) {
                return false;
            }
        }
    }
}
