package dev.multiproc.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiproc.ChildProcess;
import dev.multiproc.Context;
import dev.multiproc.ContextOption;
import dev.multiproc.Multiproc;
import dev.multiproc.Queue;
import dev.multiproc.SerializationException;
import dev.multiproc.SharedInt;
import dev.multiproc.SharedList;
import dev.multiproc.SharedMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link SharedMap} and {@link SharedList} (Python's {@code Manager().dict()} and {@code .list()}):
 * the operations of {@code java.util.Map} and {@code List}, changes made in one process seen in another, atomic
 * merges from several processes at once that lose no count, appends from several processes all kept, a function
 * that throws leaving the map as it was, and clear refusals.
 */
public abstract class SharedCollectionsContract extends TransportContract {
    private static final int PROCESSES = 4;
    private static final int MERGES = 300;

    /** For a transport's subclass, which JUnit instantiates. */
    protected SharedCollectionsContract() {
    }

    /**
     * @param <K> the key type
     * @param <V> the value type
     * @return the map under test: the context's (the tck's own tests replace it with a broken one)
     */
    protected <K, V> SharedMap<K, V> newMap() {
        return context.sharedMap();
    }

    /** Every map operation, in one process, gives what a LinkedHashMap gives. */
    @Test
    public void mapOperationsFollowJavaUtilMap() {
        within(20, "SharedMap operations", () -> {
            SharedMap<String, Integer> map = newMap();
            Map<String, Integer> reference = new LinkedHashMap<>();
            assertTrue(map.isEmpty());
            assertEquals(reference.put("a", 1), map.put("a", 1));
            assertEquals(reference.put("a", 2), map.put("a", 2));
            assertEquals(reference.putIfAbsent("a", 9), map.putIfAbsent("a", 9));
            assertEquals(reference.putIfAbsent("b", 3), map.putIfAbsent("b", 3));
            assertEquals(reference.get("b"), map.get("b"));
            assertNull(map.get("zz"));
            assertEquals(7, map.getOrDefault("zz", 7));
            assertEquals(reference.compute("c", (k, v) -> v == null ? 10 : v + 1),
                    map.compute("c", (k, v) -> v == null ? 10 : v + 1));
            assertEquals(reference.compute("c", (k, v) -> v == null ? 10 : v + 1),
                    map.compute("c", (k, v) -> v == null ? 10 : v + 1));
            assertEquals(reference.computeIfAbsent("d", String::length), map.computeIfAbsent("d", String::length));
            assertEquals(reference.computeIfAbsent("d", k -> 99), map.computeIfAbsent("d", k -> 99));
            assertEquals(reference.computeIfPresent("b", (k, v) -> v * 100),
                    map.computeIfPresent("b", (k, v) -> v * 100));
            assertEquals(reference.computeIfPresent("none", (k, v) -> 1), map.computeIfPresent("none", (k, v) -> 1));
            assertEquals(reference.merge("a", 5, Integer::sum), map.merge("a", 5, Integer::sum));
            assertEquals(reference.merge("e", 5, Integer::sum), map.merge("e", 5, Integer::sum));
            assertEquals(reference.compute("e", (k, v) -> null), map.compute("e", (k, v) -> null));
            assertEquals(reference.remove("d"), map.remove("d"));
            assertNull(map.remove("d"));
            assertEquals(reference.containsKey("a"), map.containsKey("a"));
            assertFalse(map.containsKey("e"), "compute to null did not remove the entry");
            assertEquals(reference.size(), map.size());
            assertEquals(reference, map.snapshot());
            assertEquals(List.copyOf(reference.keySet()), List.copyOf(map.snapshot().keySet()), "not in put order");
            assertThrows(UnsupportedOperationException.class, () -> map.snapshot().put("x", 1));
            assertThrows(NullPointerException.class, () -> map.put(null, 1));
            assertThrows(NullPointerException.class, () -> map.put("x", null));
            map.clear();
            assertTrue(map.isEmpty());
            assertTrue(map.snapshot().isEmpty());
            return null;
        });
    }

    /** Keys are equal by equals/hashCode, whatever their bytes: a list key built two ways is one key. */
    @Test
    public void equalKeysAreOneKey() {
        within(20, "equal keys", () -> {
            SharedMap<Object, String> map = newMap();
            map.put(List.of(1, 2), "list");
            List<Integer> sameList = new ArrayList<>(List.of(1, 2));
            assertEquals("list", map.get(sameList));
            map.put(sameList, "again");
            assertEquals(1, map.size());
            return null;
        });
    }

    static void childUpdates(SharedMap<String, List<String>> map, SharedList<String> list) {
        List<String> seen = map.get("parent");
        seen.add("changed only in the child's copy");
        map.put("child", List.of("from " + ProcessHandle.current().pid(), String.valueOf(map.get("parent").size())));
        list.add(1, "child");
        list.set(0, list.get(0) + "+child");
    }

    /** What the parent put, a child reads; what the child puts, the parent reads; a value got is a copy. */
    @Test
    public void aChildSeesAndChangesTheParentsMapAndList() {
        within(30, "a map and a list across processes", () -> {
            SharedMap<String, List<String>> map = newMap();
            SharedList<String> list = context.sharedList();
            map.put("parent", new ArrayList<>(List.of("x", "y")));
            list.add("first");
            list.add("last");
            ChildProcess child = context.process(() -> childUpdates(map, list)).start();
            child.join();
            assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            assertEquals(List.of("x", "y"), map.get("parent"), "a change to a copy reached the map");
            assertEquals(List.of("from " + child.pid(), "2"), map.get("child"));
            assertEquals(List.of("first+child", "child", "last"), list.snapshot());
            return null;
        });
    }

    /**
     * In a child, after the start barrier: {@link #MERGES} merges of 1 into each of two keys; after each, it waits
     * for another party's turn (see {@link Contention}), and counts the merges whose result had moved on by more
     * than its own 1 since its previous merge (evidence that the processes interleaved).
     */
    static void merges(SharedMap<String, Integer> map, Contention.Turns turns, int me) {
        Contention.takeCountedTurns(turns, PROCESSES, me, MERGES, () -> {
            int now = map.merge("a", 1, Integer::sum);
            map.merge("b", 1, Integer::sum);
            return now;
        });
    }

    /**
     * Four processes each merging 1 into two keys 300 times at once (Python's {@code d[k] += 1} under a manager
     * lock) leave exactly 1,200 in each: merge runs atomically where the map lives.
     */
    @Test
    public void mergesFromManyProcessesLoseNoCount() {
        within(90, "merges from many processes", () -> {
            SharedMap<String, Integer> map = newMap();
            Contention.Turns turns = Contention.Turns.of(context);
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                int me = i + 1;
                children.add(context.process(() -> merges(map, turns, me)).start());
            }
            for (ChildProcess child : children) {
                child.join();
                assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            }
            assertEquals(Map.of("a", PROCESSES * MERGES, "b", PROCESSES * MERGES), map.snapshot(), "counts lost");
            assertTrue(turns.interleaved().get() >= MERGES, "the children's merges interleaved only "
                    + turns.interleaved().get() + " times: they did not run at the same time, so the test proved"
                    + " nothing");
            return null;
        });
    }

    static Integer refuse(String key, Integer value) {
        throw new IllegalStateException("refused " + key);
    }

    static void throwingCompute(SharedMap<String, Integer> map, SharedList<String> list) {
        try {
            map.compute("k", SharedCollectionsContract::refuse);
            list.add("no exception");
        } catch (IllegalStateException e) {
            list.add(e.getMessage());
        }
    }

    /** A function that throws leaves the map unchanged, and the caller, in any process, gets what it threw. */
    @Test
    public void aFunctionThatThrowsLeavesTheMapUnchanged() {
        within(30, "a throwing function", () -> {
            SharedMap<String, Integer> map = newMap();
            map.put("k", 1);
            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> map.compute("k", SharedCollectionsContract::refuse));
            assertEquals("refused k", thrown.getMessage());
            assertEquals(1, map.get("k"));
            SharedList<String> outcome = context.sharedList();
            ChildProcess child = context.process(() -> throwingCompute(map, outcome)).start();
            child.join();
            assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            assertEquals(List.of("refused k"), outcome.snapshot());
            assertEquals(Map.of("k", 1), map.snapshot());
            return null;
        });
    }

    /** Every list operation, in one process, gives what an ArrayList gives, nulls and bad indexes included. */
    @Test
    public void listOperationsFollowJavaUtilList() {
        within(20, "SharedList operations", () -> {
            SharedList<String> list = context.sharedList();
            List<String> reference = new ArrayList<>();
            assertTrue(list.isEmpty());
            list.add("a");
            reference.add("a");
            list.add(null);
            reference.add(null);
            list.add(0, "first");
            reference.add(0, "first");
            list.addAll(List.of("x", "y"));
            reference.addAll(List.of("x", "y"));
            assertEquals(reference.set(1, "b"), list.set(1, "b"));
            assertEquals(reference.remove(3), list.remove(3));
            assertEquals(reference.get(2), list.get(2));
            assertEquals(reference.size(), list.size());
            assertEquals(reference, list.snapshot());
            assertThrows(IndexOutOfBoundsException.class, () -> list.get(reference.size()));
            assertThrows(IndexOutOfBoundsException.class, () -> list.set(-1, "z"));
            assertThrows(IndexOutOfBoundsException.class, () -> list.add(-1, "z"));
            assertThrows(IndexOutOfBoundsException.class, () -> list.add(reference.size() + 1, "z"));
            assertThrows(IndexOutOfBoundsException.class, () -> list.remove(99));
            assertEquals(reference, list.snapshot(), "a refused operation changed the list");
            list.clear();
            assertTrue(list.isEmpty());
            return null;
        });
    }

    static void appends(SharedList<String> list, SharedInt arrived, int me) {
        Contention.startTogether(arrived, PROCESSES);
        for (int i = 0; i < MERGES; i++) {
            list.add(me + ":" + i);
        }
    }

    /** Four processes appending at once lose nothing, and each one's elements stay in its order. */
    @Test
    public void appendsFromManyProcessesAreAllKept() {
        within(60, "appends from many processes", () -> {
            SharedList<String> list = context.sharedList();
            SharedInt arrived = context.sharedInt(0);
            List<ChildProcess> children = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                int me = i;
                children.add(context.process(() -> appends(list, arrived, me)).start());
            }
            for (ChildProcess child : children) {
                child.join();
                assertEquals(0, child.exitCode().getAsInt(), () -> "child failed: " + child.failure());
            }
            List<String> all = list.snapshot();
            assertEquals(PROCESSES * MERGES, all.size(), "appends lost");
            int[] next = new int[PROCESSES];
            for (String element : all) {
                int process = Integer.parseInt(element.substring(0, element.indexOf(':')));
                assertEquals(process + ":" + next[process]++, element, "a process's appends out of order");
            }
            return null;
        });
    }

    /**
     * A map's and a list's contents live in the parent and count against the hub's budget
     * ({@link ContextOption#HUB_MAX_BYTES}): past it, a put from a child and an add throw IllegalStateException that
     * names the option, and leave the map or list as it was; removing entries makes room again, and the context's
     * statistics count what they hold.
     */
    @Test
    public void mapsAndListsStayWithinTheHubsBudget() {
        within(60, "a map and a list past the hub's budget", () -> {
            long budget = 180L * 1024; // four blocks of 40 KiB (and their keys) fit, a fifth does not
            try (Context own = Multiproc.contextBuilder().transport(transportName())
                    .option(ContextOption.HUB_MAX_BYTES, budget).build()) {
                SharedMap<Integer, byte[]> map = own.sharedMap();
                byte[] block = new byte[40 * 1024];
                for (int key = 0; key < 4; key++) {
                    map.put(key, block);
                }
                assertTrue(own.stats().hubBytesHeld() >= 4L * block.length, "the map's bytes are not counted: "
                        + own.stats());
                Queue<String> outcome = own.queue();
                ChildProcess child = own.process(() -> putOneMore(map, outcome)).start();
                String refused = outcome.get(TckTimeouts.millis(30), TimeUnit.MILLISECONDS);
                child.join();
                assertTrue(refused.startsWith("IllegalStateException") && refused.contains("HUB_MAX_BYTES"),
                        "a put past the budget: " + refused);
                assertEquals(Set.of(0, 1, 2, 3), map.snapshot().keySet(), "a refused put changed the map");
                SharedList<byte[]> list = own.sharedList();
                IllegalStateException full = assertThrows(IllegalStateException.class, () -> list.add(block));
                assertTrue(full.getMessage().contains("HUB_MAX_BYTES"), full.getMessage());
                assertEquals(0, list.size(), "a refused add changed the list");
                map.remove(0);
                map.remove(1);
                list.add(block);
                assertEquals(1, list.size());
                map.put(5, block);
            }
            return null;
        });
    }

    /** In a child: tries to put one more block of 40 KiB, and reports what was thrown, or "worked". */
    static void putOneMore(SharedMap<Integer, byte[]> map, Queue<String> outcome) throws InterruptedException {
        try {
            map.put(4, new byte[40 * 1024]);
            outcome.put("worked");
        } catch (RuntimeException e) {
            outcome.put(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** A value that cannot be serialized is refused where it is put, and the map and list are unchanged. */
    @Test
    public void unserializableValuesAreRefusedClearly() {
        within(20, "unserializable values", () -> {
            SharedMap<String, Object> map = newMap();
            SharedList<Object> list = context.sharedList();
            Object unserializable = new Object();
            assertThrows(SerializationException.class, () -> map.put("k", unserializable));
            assertThrows(SerializationException.class, () -> list.add(unserializable));
            assertEquals(0, map.size());
            assertEquals(0, list.size());
            return null;
        });
    }
}
