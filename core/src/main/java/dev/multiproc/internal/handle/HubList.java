package dev.multiproc.internal.handle;

import com.google.protobuf.ByteString;
import dev.multiproc.SharedList;
import dev.multiproc.internal.protocol.Op;
import java.io.Serial;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** A {@link SharedList} in the parent's hub (see {@code HubListState}). */
public final class HubList<E> extends HubHandle implements SharedList<E> {
    @Serial
    private static final long serialVersionUID = 1L;

    public HubList(String contextId, long objectId) {
        super(contextId, objectId);
    }

    @SuppressWarnings("unchecked")
    private E element(ByteString bytes) {
        return (E) decoded(bytes);
    }

    @Override
    public E get(int index) {
        return element(nowWith(Op.LIST_GET, index, 0, null).getData());
    }

    @Override
    public E set(int index, E element) {
        return element(nowWith(Op.LIST_SET, index, 0, encoded(element)).getData());
    }

    @Override
    public void add(E element) {
        nowWith(Op.LIST_ADD, -1, 0, encoded(element));
    }

    @Override
    public void add(int index, E element) {
        if (index < 0) { // -1 on the wire means append
            throw new IndexOutOfBoundsException("Index " + index + " out of bounds for length " + size());
        }
        nowWith(Op.LIST_ADD, index, 0, encoded(element));
    }

    @Override
    public void addAll(Collection<? extends E> elements) {
        ByteString[] encoded = new ByteString[elements.size()];
        int i = 0;
        for (E element : elements) {
            encoded[i++] = encoded(element);
        }
        nowWith(Op.LIST_ADD_ALL, 0, 0, null, encoded);
    }

    @Override
    public E remove(int index) {
        return element(nowWith(Op.LIST_REMOVE, index, 0, null).getData());
    }

    @Override
    public int size() {
        return (int) nowWith(Op.LIST_SIZE, 0, 0, null).getValue();
    }

    @Override
    public void clear() {
        nowWith(Op.LIST_CLEAR, 0, 0, null);
    }

    @Override
    public List<E> snapshot() {
        List<E> copy = new ArrayList<>();
        for (ByteString bytes : nowWith(Op.LIST_SNAPSHOT, 0, 0, null).getMoreList()) {
            copy.add(element(bytes));
        }
        return Collections.unmodifiableList(copy);
    }

    @Override
    String describe() {
        return "SharedList#" + objectId;
    }
}
