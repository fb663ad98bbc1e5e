package dev.multiproc.internal.handle;

import com.google.protobuf.ByteString;
import dev.multiproc.SharedMap;
import dev.multiproc.internal.protocol.Op;
import dev.multiproc.internal.protocol.Reply;
import java.io.Serial;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A {@link SharedMap} in the parent's hub (see {@code HubMapState}). */
public final class HubMap<K, V> extends HubHandle implements SharedMap<K, V> {
    @Serial
    private static final long serialVersionUID = 1L;

    public HubMap(String contextId, long objectId) {
        super(contextId, objectId);
    }

    private static ByteString key(Object key) {
        return encoded(Objects.requireNonNull(key, "a SharedMap's keys are not null"));
    }

    private static ByteString value(Object value) {
        return encoded(Objects.requireNonNull(value, "a SharedMap's values are not null"));
    }

    @SuppressWarnings("unchecked")
    private V valueOf(Reply reply) {
        return reply.getValue() == 1 ? (V) decoded(reply.getData()) : null;
    }

    @Override
    public V get(K key) {
        return valueOf(nowWith(Op.MAP_GET, 0, 0, null, key(key)));
    }

    @Override
    public V put(K key, V value) {
        return valueOf(nowWith(Op.MAP_PUT, 0, 0, null, key(key), value(value)));
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return valueOf(nowWith(Op.MAP_PUT_IF_ABSENT, 0, 0, null, key(key), value(value)));
    }

    @Override
    public V remove(K key) {
        return valueOf(nowWith(Op.MAP_REMOVE, 0, 0, null, key(key)));
    }

    @Override
    public boolean containsKey(K key) {
        return nowWith(Op.MAP_CONTAINS, 0, 0, null, key(key)).getValue() == 1;
    }

    @Override
    public int size() {
        return (int) nowWith(Op.MAP_SIZE, 0, 0, null).getValue();
    }

    @Override
    public void clear() {
        nowWith(Op.MAP_CLEAR, 0, 0, null);
    }

    @Override
    public V compute(K key, Remapping<? super K, ? super V, ? extends V> function) {
        return valueOf(nowWith(Op.MAP_COMPUTE, 0, 0, null, key(key), encoded(Objects.requireNonNull(function))));
    }

    @Override
    public V computeIfAbsent(K key, Mapping<? super K, ? extends V> function) {
        return valueOf(nowWith(Op.MAP_COMPUTE, 0, 1, null, key(key), encoded(Objects.requireNonNull(function))));
    }

    @Override
    public V computeIfPresent(K key, Remapping<? super K, ? super V, ? extends V> function) {
        return valueOf(nowWith(Op.MAP_COMPUTE, 0, 2, null, key(key), encoded(Objects.requireNonNull(function))));
    }

    @Override
    public V merge(K key, V value, Remapping<? super V, ? super V, ? extends V> function) {
        return valueOf(nowWith(Op.MAP_COMPUTE, 0, 3, null, key(key), value(value),
                encoded(Objects.requireNonNull(function))));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<K, V> snapshot() {
        List<ByteString> flat = nowWith(Op.MAP_SNAPSHOT, 0, 0, null).getMoreList();
        Map<K, V> copy = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            copy.put((K) decoded(flat.get(i)), (V) decoded(flat.get(i + 1)));
        }
        return Collections.unmodifiableMap(copy);
    }

    @Override
    String describe() {
        return "SharedMap#" + objectId;
    }
}
