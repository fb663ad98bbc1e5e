package dev.multiproc.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import dev.multiproc.SerializationException;
import dev.multiproc.Task;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DefaultCodecTest {
    private static final DefaultCodec CODEC = DefaultCodec.INSTANCE;

    record Point(int x, int y) implements Serializable {
    }

    record Order(String id, long amount, List<Point> path, Map<String, int[]> tags, Color color, Object extra)
            implements Serializable {
    }

    /** Not Serializable: Java serialization refuses it, so the fast path must too. */
    record Plain(int x) {
    }

    record Holder(Object value) implements Serializable {
    }

    record Guarded(String name) implements Serializable {
        static final AtomicInteger BUILT = new AtomicInteger();

        Guarded {
            BUILT.incrementAndGet();
        }
    }

    record Primitives(boolean z, byte b, short s, char c, int i, long l, float f, double d) implements Serializable {
    }

    static final AtomicBoolean TRIP_B_INITIALIZED = new AtomicBoolean();

    record TripA(int x) implements Serializable {
    }

    record TripB(int x) implements Serializable {
        static {
            TRIP_B_INITIALIZED.set(true);
        }
    }

    enum Color { RED, GREEN { @Override public String toString() { return "green"; } } }

    static final class Pojo implements Serializable {
        private static final long serialVersionUID = 1L;
        final String name;

        Pojo(String name) {
            this.name = name;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Pojo p && p.name.equals(name);
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }
    }

    static final class MyList<E> extends ArrayList<E> {
        private static final long serialVersionUID = 1L;
    }

    static final class Repo {
    }

    /** Encodes a list with the codec from inside its own serialization. */
    static final class Reentrant implements Serializable {
        private static final long serialVersionUID = 1L;
        transient byte[] inner;

        private void writeObject(ObjectOutputStream out) throws IOException {
            inner = DefaultCodec.INSTANCE.encode(List.of(1, 2, 3));
            out.defaultWriteObject();
            out.writeInt(inner.length);
            out.write(inner);
        }

        private void readObject(java.io.ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            inner = in.readNBytes(in.readInt());
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) {
        return (T) CODEC.decode(CODEC.encode(value));
    }

    private static byte format(Object value) {
        return CODEC.encode(value)[0];
    }

    @Test
    void roundTripsEveryScalar() {
        List<Object> values = Arrays.asList(null, true, false, (byte) -7, (short) -300, 'x', '\u20ac', 0, -1, 127,
                128, -128, -129, 32767, 32768, -32769, Integer.MIN_VALUE, Integer.MAX_VALUE, 0L, -1L, 200L,
                1L << 40, Long.MIN_VALUE, Long.MAX_VALUE, 1.5f, Float.NaN, -0.0f, 2.25, Double.NaN, -0.0,
                Double.NEGATIVE_INFINITY, "", "ascii", "h\u00e9llo w\u00f6rld", "emoji \ud83d\ude00",
                "x".repeat(1000), "\u00e9".repeat(1000), "a".repeat(63), "a".repeat(64));
        for (Object value : values) {
            Object back = roundTrip(value);
            assertEquals(value, back, String.valueOf(value));
            if (value != null) {
                assertEquals(value.getClass(), back.getClass());
                assertEquals(FastFormat.FORMAT_FAST, format(value), value.getClass().getName());
            }
        }
    }

    @Test
    void roundTripsPrimitiveArrays() {
        assertArrayEquals(new boolean[] {true, false, true}, roundTrip(new boolean[] {true, false, true}));
        assertArrayEquals(new byte[] {1, -2, 3}, roundTrip(new byte[] {1, -2, 3}));
        assertArrayEquals(new short[] {1, -2, Short.MAX_VALUE}, roundTrip(new short[] {1, -2, Short.MAX_VALUE}));
        assertArrayEquals(new char[] {'a', '\u20ac'}, roundTrip(new char[] {'a', '\u20ac'}));
        assertArrayEquals(new int[] {1, -2, Integer.MIN_VALUE}, roundTrip(new int[] {1, -2, Integer.MIN_VALUE}));
        assertArrayEquals(new long[] {1, -2, Long.MAX_VALUE}, roundTrip(new long[] {1, -2, Long.MAX_VALUE}));
        assertArrayEquals(new float[] {1.5f, Float.NaN}, roundTrip(new float[] {1.5f, Float.NaN}));
        assertArrayEquals(new double[] {1.5, -0.0, Double.NaN}, roundTrip(new double[] {1.5, -0.0, Double.NaN}));
        assertArrayEquals(new int[0], roundTrip(new int[0]));
        byte[] mib = new byte[1 << 20];
        new Random(1).nextBytes(mib);
        assertArrayEquals(mib, roundTrip(mib));
        assertEquals(FastFormat.FORMAT_FAST, format(mib));
    }

    @Test
    void listsKeepTheirClassAndMutability() {
        ArrayList<Object> arrayList = new ArrayList<>(List.of(1, "two", 3.0));
        assertEquals(ArrayList.class, roundTrip(arrayList).getClass());
        assertEquals(arrayList, roundTrip(arrayList));
        @SuppressWarnings("JdkObsolete") // the codec must keep a LinkedList a LinkedList
        LinkedList<Integer> linked = new LinkedList<>(List.of(1, 2));
        assertEquals(LinkedList.class, roundTrip(linked).getClass());
        assertEquals(linked, roundTrip(linked));
        for (List<Integer> immutable : List.of(List.<Integer>of(), List.of(1), List.of(1, 2), List.of(1, 2, 3))) {
            List<Integer> back = roundTrip(immutable);
            assertEquals(immutable, back);
            assertThrows(UnsupportedOperationException.class, () -> back.add(4));
        }
        List<Integer> withNull = Stream.of(1, null, 3).toList();
        List<Integer> back = roundTrip(withNull);
        assertEquals(withNull, back);
        assertThrows(UnsupportedOperationException.class, () -> back.add(4));
        List<String> fixed = Arrays.asList("a", "b");
        assertEquals(fixed.getClass(), roundTrip(fixed).getClass());
        assertEquals(fixed, roundTrip(fixed));
    }

    @Test
    void setsAndMapsKeepTheirClassAndOrder() {
        Set<Integer> hash = new HashSet<>(List.of(3, 1, 2));
        assertEquals(hash, roundTrip(hash));
        assertEquals(HashSet.class, roundTrip(hash).getClass());
        LinkedHashSet<String> linked = new LinkedHashSet<>(List.of("z", "a", "m"));
        assertEquals(List.copyOf(linked), List.copyOf(roundTrip(linked)));
        assertEquals(TreeSet.class, roundTrip(new TreeSet<>(hash)).getClass());
        Set<String> immutableSet = Set.of("a", "b", "c");
        assertEquals(immutableSet, roundTrip(immutableSet));
        assertThrows(UnsupportedOperationException.class, () -> roundTrip(immutableSet).add("d"));

        Map<String, Integer> hashMap = new HashMap<>(Map.of("a", 1, "b", 2));
        assertEquals(hashMap, roundTrip(hashMap));
        assertEquals(HashMap.class, roundTrip(hashMap).getClass());
        LinkedHashMap<String, Integer> linkedMap = new LinkedHashMap<>();
        linkedMap.put("z", 1);
        linkedMap.put("a", 2);
        assertEquals(List.copyOf(linkedMap.keySet()), List.copyOf(roundTrip(linkedMap).keySet()));
        assertEquals(LinkedHashMap.class, roundTrip(linkedMap).getClass());
        TreeMap<String, Integer> tree = new TreeMap<>(hashMap);
        assertEquals(TreeMap.class, roundTrip(tree).getClass());
        assertEquals(tree, roundTrip(tree));
        for (Map<String, Integer> immutable : List.of(Map.<String, Integer>of(), Map.of("a", 1),
                Map.of("a", 1, "b", 2))) {
            assertEquals(immutable, roundTrip(immutable));
            assertThrows(UnsupportedOperationException.class, () -> roundTrip(immutable).put("c", 3));
        }
    }

    @Test
    void roundTripsNestedValuesRecordsEnumsAndProtobuf() {
        Map<String, int[]> tags = new LinkedHashMap<>();
        tags.put("a", new int[] {1, 2});
        Order order = new Order("o-1", 1L << 40, List.of(new Point(1, 2), new Point(3, 4)), tags, Color.GREEN,
                Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(7).build());
        Order back = roundTrip(order);
        assertEquals(order.id(), back.id());
        assertEquals(order.path(), back.path());
        assertArrayEquals(order.tags().get("a"), back.tags().get("a"));
        assertSame(Color.GREEN, back.color());
        assertEquals(order.extra(), back.extra());
        assertEquals(FastFormat.FORMAT_FAST, format(order));

        Map<String, List<Map<Integer, Object>>> nested = new HashMap<>();
        nested.put("k", List.of(Map.of(1, List.of(new Point(5, 6), Color.RED, new byte[0].length)),
                new HashMap<>(Map.of(2, Set.of("s")))));
        assertEquals(nested, roundTrip(nested));

        List<List<Integer>> chunks = List.of(List.of(1, 3, 5, 7, 9), List.of(2, 4, 6, 8, 10));
        assertEquals(chunks, roundTrip(chunks));
    }

    /**
     * An application's protobuf message (here a well-known type from protobuf-java, as an application would have it)
     * goes the fast way and arrives as itself. Core's unit tests run before its runtime is relocated; the same on the
     * relocated jar, against protobuf-java 3, is transport-pipe's PipeApplicationProtobufTest.
     */
    @Test
    void applicationProtobufMessagesTakeTheFastPathAndArriveAsThemselves() {
        Timestamp message = Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(42).build();
        assertEquals(FastFormat.PROTOBUF, FastFormat.TYPES.get(Timestamp.class).tag);
        assertEquals(FastFormat.FORMAT_FAST, format(message));
        Timestamp back = roundTrip(message);
        assertEquals(message, back);
        assertEquals(Timestamp.class, back.getClass());
        List<Timestamp> many = List.of(message, Timestamp.getDefaultInstance(), message);
        assertEquals(many, roundTrip(many));
        assertEquals(FastFormat.FORMAT_FAST, format(many));
        // a class with the method names but not the interface is not a message
        assertEquals(FastFormat.JAVA, FastFormat.TYPES.get(LooksLikeAMessage.class).tag);
    }

    /** Has getDefaultInstance() and toByteArray(), but is no protobuf message. */
    static final class LooksLikeAMessage implements Serializable {
        private static final long serialVersionUID = 1L;
        private static final LooksLikeAMessage DEFAULT = new LooksLikeAMessage();

        public static LooksLikeAMessage getDefaultInstance() {
            return DEFAULT;
        }

        public byte[] toByteArray() {
            return new byte[0];
        }
    }

    @Test
    void otherObjectsAreEmbeddedAsJavaSerialization() throws Exception {
        List<Object> mixed = new ArrayList<>(List.of(1, new Pojo("a"), "s", new Pojo("b")));
        byte[] encoded = CODEC.encode(mixed);
        assertEquals(FastFormat.FORMAT_FAST_WITH_JAVA, encoded[0]);
        assertEquals(mixed, CODEC.decode(encoded));

        MyList<Integer> subclass = new MyList<>();
        subclass.add(1);
        assertEquals(MyList.class, roundTrip(subclass).getClass());
        assertEquals(FastFormat.FORMAT_JAVA, format(subclass));
        assertEquals(MyList.class, roundTrip(List.of(subclass)).get(0).getClass());

        TreeMap<String, Integer> reversed = new TreeMap<>(Comparator.reverseOrder());
        reversed.put("a", 1);
        reversed.put("b", 2);
        TreeMap<String, Integer> back = roundTrip(reversed);
        assertEquals(List.of("b", "a"), List.copyOf(back.keySet()));
        assertEquals(List.of("b", "a"), List.copyOf(((TreeMap<?, ?>) roundTrip(List.of(reversed)).get(0)).keySet()));

        Task<Integer, Integer> task = x -> x + 1;
        assertEquals(FastFormat.FORMAT_JAVA, format(task));
        @SuppressWarnings("unchecked")
        Task<Integer, Integer> decoded = (Task<Integer, Integer>) CODEC.decode(CODEC.encode(task));
        assertEquals(2, decoded.apply(1));

        Reentrant reentrant = roundTrip(new ArrayList<>(List.of(new Reentrant()))).get(0);
        assertEquals(List.of(1, 2, 3), CODEC.decode(reentrant.inner));
    }

    @Test
    void sharedReferencesStayShared() {
        List<Integer> shared = new ArrayList<>(List.of(1, 2));
        Pojo pojo = new Pojo("p");
        List<Object> outer = new ArrayList<>(List.of(shared, shared, pojo, new Holder(pojo), new Holder(shared)));
        List<Object> back = roundTrip(outer);
        assertSame(back.get(0), back.get(1));
        assertSame(back.get(2), ((Holder) back.get(3)).value());
        assertSame(back.get(0), ((Holder) back.get(4)).value());
        assertEquals(List.of(1, 2), back.get(0));
        assertNotSame(roundTrip(List.of(1)), roundTrip(List.of(1)));
    }

    @Test
    void cyclesFallBackToJavaSerialization() {
        List<Object> self = new ArrayList<>();
        self.add("x");
        self.add(self);
        assertEquals(FastFormat.FORMAT_JAVA, format(self));
        List<Object> back = roundTrip(self);
        assertSame(back, back.get(1));

        Map<String, Object> map = new HashMap<>();
        List<Object> inner = new ArrayList<>();
        inner.add(map);
        map.put("inner", inner);
        assertEquals(FastFormat.FORMAT_JAVA, format(List.of(map)));
        Map<?, ?> mapBack = (Map<?, ?>) roundTrip(List.of(map)).get(0);
        assertSame(mapBack, ((List<?>) mapBack.get("inner")).get(0));
    }

    @Test
    void deepValuesFallBackToJavaSerialization() {
        List<Object> deep = new ArrayList<>();
        List<Object> cursor = deep;
        for (int i = 0; i < FastFormat.MAX_DEPTH + 10; i++) {
            List<Object> next = new ArrayList<>();
            cursor.add(next);
            cursor = next;
        }
        cursor.add("bottom");
        assertEquals(FastFormat.FORMAT_JAVA, format(deep));
        assertEquals(deep, roundTrip(deep));
    }

    @Test
    void recordsThatJavaSerializationRefusesAreRefused() {
        SerializationException error = assertThrows(SerializationException.class,
                () -> CODEC.encode(new Plain(1)));
        assertTrue(error.getMessage().contains(Plain.class.getName()), error.getMessage());
        List<Object> list = new ArrayList<>(List.of("ok", "fine"));
        list.add(new Repo());
        error = assertThrows(SerializationException.class, () -> CODEC.encode(list));
        assertTrue(error.getMessage().contains("element 2 (" + Repo.class.getName() + ")"), error.getMessage());
    }

    @Test
    void filterRefusesEmbeddedGadgetClasses() {
        // javax.management.* is on the default deny list
        SerializationException error = assertThrows(SerializationException.class,
                () -> CODEC.decode(CODEC.encode(new Holder(new javax.management.Attribute("a", 1)))));
        assertTrue(error.getMessage().contains(JavaSerializationCodec.FILTER_PROPERTY), error.getMessage());
    }

    @Test
    void filterRefusesNamedClassesBeforeBuildingAnything() {
        DefaultCodec strict = new DefaultCodec(false, ObjectInputFilter.Config.createFilter(
                "!" + Guarded.class.getName() + ";!" + Color.class.getName() + ";!" + Timestamp.class.getName()
                + ";!java.util.TreeMap;maxarray=100"));
        byte[] encoded = strict.encode(new Holder(new Guarded("g")));
        int before = Guarded.BUILT.get();
        SerializationException error = assertThrows(SerializationException.class, () -> strict.decode(encoded));
        assertTrue(error.getMessage().contains(Guarded.class.getName()), error.getMessage());
        assertTrue(error.getMessage().contains(JavaSerializationCodec.FILTER_PROPERTY), error.getMessage());
        assertEquals(before, Guarded.BUILT.get());
        for (Object refused : List.of(List.of(Color.RED), List.of(Timestamp.getDefaultInstance()),
                new TreeMap<>(Map.of(1, 2)), new ArrayList<>(List.of(new int[101])))) {
            assertThrows(SerializationException.class, () -> strict.decode(strict.encode(refused)),
                    refused.toString());
        }
        assertEquals(List.of(new Point(1, 2)), strict.decode(strict.encode(List.of(new Point(1, 2)))));
    }

    @Test
    void aClassNamedInAPayloadIsNotEvenInitializedUnlessTheFilterAllowsIt() {
        byte[] encoded = CODEC.encode(new TripA(7));
        String payload = new String(encoded, StandardCharsets.ISO_8859_1).replace("$TripA", "$TripB");
        byte[] forged = payload.getBytes(StandardCharsets.ISO_8859_1);
        DefaultCodec strict = new DefaultCodec(false,
                ObjectInputFilter.Config.createFilter("!" + TripB.class.getName()));
        SerializationException error = assertThrows(SerializationException.class, () -> strict.decode(forged));
        assertTrue(error.getMessage().contains("rejected " + TripB.class.getName()), error.getMessage());
        assertFalse(TRIP_B_INITIALIZED.get(), "the refused class was initialized");
        assertEquals(new TripB(7), CODEC.decode(forged));
        assertTrue(TRIP_B_INITIALIZED.get());
    }

    @Test
    void recordsWithEveryPrimitiveComponentRoundTrip() {
        Primitives value = new Primitives(true, (byte) -1, (short) 300, '\u20ac', -5, 1L << 50, 0.5f, -2.5);
        assertEquals(value, roundTrip(value));
        assertEquals(FastFormat.FORMAT_FAST, format(value));
    }

    @Test
    void corruptOrTruncatedPayloadsFailWithSerializationException() {
        Map<String, Object> tags = new HashMap<>();
        tags.put("ints", new int[] {1, 2, 3});
        List<Object> values = List.of(
                new ArrayList<>(List.of(1, 2L, "three", 4.0, List.of(5), Set.of(6), Map.of(7, 8))),
                new Order("o", 3, List.of(new Point(1, 2)), Map.of(), Color.RED,
                        Timestamp.newBuilder().setSeconds(3).build()),
                new ArrayList<>(List.of(new Pojo("p"), tags, new Pojo("q"))));
        for (Object value : values) {
            byte[] encoded = CODEC.encode(value);
            for (int length = 0; length < encoded.length; length++) {
                byte[] truncated = Arrays.copyOf(encoded, length);
                assertThrows(SerializationException.class, () -> CODEC.decode(truncated), "length " + length);
            }
            Random random = new Random(42);
            for (int i = 0; i < 2000; i++) {
                byte[] corrupt = encoded.clone();
                corrupt[random.nextInt(corrupt.length)] = (byte) random.nextInt(256);
                try {
                    CODEC.decode(corrupt);
                } catch (SerializationException expected) {
                    // a flipped byte may still decode; it must never fail any other way
                }
            }
        }
        for (byte[] bad : List.of(new byte[] {0x42}, new byte[] {FastFormat.FORMAT_FAST, 99},
                new byte[] {FastFormat.FORMAT_FAST, FastFormat.INTS, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07},
                new byte[] {FastFormat.FORMAT_FAST, FastFormat.REF, 0},
                new byte[] {FastFormat.FORMAT_FAST, FastFormat.JAVA},
                new byte[] {FastFormat.FORMAT_FAST, FastFormat.NULL, FastFormat.NULL})) {
            SerializationException error = assertThrows(SerializationException.class, () -> CODEC.decode(bad));
            assertTrue(error.getMessage().startsWith("Cannot deserialize"), error.getMessage());
        }
    }

    @Test
    void aListOfIntegersIsSmallerThanWithJavaSerialization() {
        List<Integer> list = IntStream.range(0, 25_000).boxed().toList();
        byte[] fast = CODEC.encode(list);
        byte[] java = JavaSerializationCodec.INSTANCE.encode(list);
        assertTrue(fast.length <= java.length / 2, fast.length + " vs " + java.length);
        assertEquals(list, CODEC.decode(fast));
    }

    @Test
    void javaModeEncodesWithJavaSerializationAndBothModesReadBoth() {
        DefaultCodec javaOnly = new DefaultCodec(true, ObjectInputFilter.Config.createFilter("maxdepth=100"));
        List<Integer> value = List.of(1, 2, 3);
        byte[] plain = javaOnly.encode(value);
        assertEquals(FastFormat.FORMAT_JAVA, plain[0]);
        assertArrayEquals(plain, JavaSerializationCodec.INSTANCE.encode(value));
        assertEquals(value, CODEC.decode(plain));
        assertEquals(value, javaOnly.decode(CODEC.encode(value)));
    }

    @Test
    void encodersAreSafeToShareBetweenThreads() {
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int seed = t;
            runs.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 500; i++) {
                    List<Object> value = List.of(seed, "t" + seed + "-" + i, new int[seed], List.of(i),
                            new Point(seed, i), Collections.nCopies(i % 7, seed));
                    List<Object> back = roundTrip(value);
                    assertEquals(value.get(1), back.get(1));
                    assertEquals(value.get(4), back.get(4));
                    assertTrue(Objects.equals(value.get(5), back.get(5)));
                }
            }));
        }
        runs.forEach(CompletableFuture::join);
    }
}
