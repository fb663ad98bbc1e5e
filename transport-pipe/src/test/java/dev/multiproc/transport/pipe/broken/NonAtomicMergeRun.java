package dev.multiproc.transport.pipe.broken;

import dev.multiproc.SharedMap;
import dev.multiproc.tck.SharedCollectionsContract;
import java.io.Serial;
import java.util.Map;

/**
 * The SharedCollectionsContract on the pipe transport with maps whose merge is a get and then a put from the caller,
 * as a naive proxy would do it (and as Python's {@code d[k] += 1} on a manager dict does); run by
 * {@link TckCatchesBrokenTransportsTest} only.
 */
public class NonAtomicMergeRun extends SharedCollectionsContract {
    @Override
    protected String transportName() {
        return "pipe";
    }

    @Override
    protected <K, V> SharedMap<K, V> newMap() {
        return new NonAtomicMerge<>(context.sharedMap());
    }

    /** A real shared map, but merge reads, computes in the caller and writes back: two steps, not one. */
    static final class NonAtomicMerge<K, V> implements SharedMap<K, V> {
        @Serial
        private static final long serialVersionUID = 1L;
        private final SharedMap<K, V> map;

        NonAtomicMerge(SharedMap<K, V> map) {
            this.map = map;
        }

        @Override
        public V merge(K key, V value, Remapping<? super V, ? super V, ? extends V> function) {
            V old = map.get(key);
            V merged = old == null ? value : function.apply(old, value);
            map.put(key, merged);
            return merged;
        }

        @Override
        public V get(K key) {
            return map.get(key);
        }

        @Override
        public V put(K key, V value) {
            return map.put(key, value);
        }

        @Override
        public V putIfAbsent(K key, V value) {
            return map.putIfAbsent(key, value);
        }

        @Override
        public V remove(K key) {
            return map.remove(key);
        }

        @Override
        public boolean containsKey(K key) {
            return map.containsKey(key);
        }

        @Override
        public int size() {
            return map.size();
        }

        @Override
        public void clear() {
            map.clear();
        }

        @Override
        public V compute(K key, Remapping<? super K, ? super V, ? extends V> function) {
            return map.compute(key, function);
        }

        @Override
        public V computeIfAbsent(K key, Mapping<? super K, ? extends V> function) {
            return map.computeIfAbsent(key, function);
        }

        @Override
        public V computeIfPresent(K key, Remapping<? super K, ? super V, ? extends V> function) {
            return map.computeIfPresent(key, function);
        }

        @Override
        public Map<K, V> snapshot() {
            return map.snapshot();
        }
    }
}
