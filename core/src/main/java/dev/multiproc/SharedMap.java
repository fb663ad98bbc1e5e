package dev.multiproc;

import java.io.Serializable;
import java.util.Map;

/**
 * A map shared between processes: Python's {@code Manager().dict()}. It lives in the parent process; every operation
 * is one message there (a direct call in the parent itself) and is atomic, including {@link #compute},
 * {@link #computeIfAbsent}, {@link #computeIfPresent} and {@link #merge}, whose function runs in the parent, where the
 * map is, under the map's lock, so that increments from many processes are never lost.
 *
 * <p>Keys and values are serializable and not null (as in {@code ConcurrentHashMap}); keys are compared with
 * {@code equals}/{@code hashCode} of their decoded copies in the parent. What a caller gets back is a copy: change
 * it, and the map does not see the change until you {@link #put} it. Iteration is over a {@link #snapshot()}.
 *
 * <p>A function given to {@code compute} and friends must be serializable (a lambda whose target is one of this
 * interface's function types is), quick, and must not wait for other shared objects: it runs on the parent's thread
 * that serves the caller's process. If it throws, the map is unchanged and the call throws what it threw.
 *
 * <p>Serializable: pass it to a child, and there it is the same map. Thread- and process-safe. Made by
 * {@link Context#sharedMap()}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface SharedMap<K, V> extends Serializable {

    /**
     * A function of a key, serializable so that it can run where the map is.
     *
     * @param <K> the key type
     * @param <V> the value type
     */
    @FunctionalInterface
    interface Mapping<K, V> extends Serializable {
        /**
         * @param key the key
         * @return the value for it, or null for none
         */
        V apply(K key);
    }

    /**
     * A function of a key and a value, serializable so that it can run where the map is.
     *
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <V> the result's type
     */
    @FunctionalInterface
    interface Remapping<A, B, V> extends Serializable {
        /**
         * @param first the key (or, for {@link SharedMap#merge}, the old value)
         * @param second the present value, or null if there is none (for {@code merge}, the given value)
         * @return the new value, or null to remove the entry
         */
        V apply(A first, B second);
    }

    /**
     * @param key the key
     * @return a copy of the value for {@code key}, or null if there is none
     * @throws NullPointerException if {@code key} is null
     */
    V get(K key);

    /**
     * @param key the key
     * @param defaultValue what to return if there is no value
     * @return a copy of the value for {@code key}, or {@code defaultValue}
     */
    default V getOrDefault(K key, V defaultValue) {
        V value = get(key);
        return value != null ? value : defaultValue;
    }

    /**
     * @param key the key
     * @param value the value
     * @return the previous value, or null
     * @throws NullPointerException if {@code key} or {@code value} is null
     * @throws SerializationException if either cannot be serialized
     */
    V put(K key, V value);

    /**
     * @param key the key
     * @param value the value
     * @return the present value (and nothing is stored), or null if there was none and {@code value} was stored
     * @throws NullPointerException if {@code key} or {@code value} is null
     */
    V putIfAbsent(K key, V value);

    /**
     * @param key the key
     * @return the value removed, or null if there was none
     */
    V remove(K key);

    /**
     * @param key the key
     * @return true if the map holds a value for {@code key}
     */
    boolean containsKey(K key);

    /** @return the number of entries */
    int size();

    /** @return true if the map has no entries */
    default boolean isEmpty() {
        return size() == 0;
    }

    /** Removes every entry. */
    void clear();

    /**
     * Computes a new value for {@code key} from the present one (null if absent), atomically, in the parent.
     *
     * @param key the key
     * @param function given the key and the present value or null; returns the new value, or null to remove
     * @return the new value, or null if there is none
     * @throws RuntimeException what {@code function} threw; the map is then unchanged
     */
    V compute(K key, Remapping<? super K, ? super V, ? extends V> function);

    /**
     * If {@code key} has no value, computes one atomically, in the parent, and stores it unless it is null.
     *
     * @param key the key
     * @param function given the key, returns its value, or null for none
     * @return the present or computed value, or null
     * @throws RuntimeException what {@code function} threw; the map is then unchanged
     */
    V computeIfAbsent(K key, Mapping<? super K, ? extends V> function);

    /**
     * If {@code key} has a value, computes a new one from it atomically, in the parent.
     *
     * @param key the key
     * @param function given the key and its value, returns the new value, or null to remove the entry
     * @return the new value, or null
     * @throws RuntimeException what {@code function} threw; the map is then unchanged
     */
    V computeIfPresent(K key, Remapping<? super K, ? super V, ? extends V> function);

    /**
     * Stores {@code value} if {@code key} has none, else the result of {@code function} on the old value and
     * {@code value}, atomically, in the parent: {@code map.merge(word, 1, Integer::sum)} counts from any number of
     * processes without losing a count.
     *
     * @param key the key
     * @param value the value to store or merge
     * @param function given the old value and {@code value}, returns the new value, or null to remove the entry
     * @return the new value, or null
     * @throws RuntimeException what {@code function} threw; the map is then unchanged
     */
    V merge(K key, V value, Remapping<? super V, ? super V, ? extends V> function);

    /**
     * @return a copy of every entry at one moment, in the order they were first put, not backed by the map
     */
    Map<K, V> snapshot();
}
