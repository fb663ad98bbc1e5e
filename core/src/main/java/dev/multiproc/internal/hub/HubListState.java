package dev.multiproc.internal.hub;

import com.google.protobuf.ByteString;
import dev.multiproc.internal.protocol.Call;
import dev.multiproc.internal.protocol.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * A shared list in the parent: encoded elements, never decoded here. Every operation runs under the state's monitor,
 * so each is atomic; an index outside the list answers the {@link IndexOutOfBoundsException} the caller then throws.
 */
public final class HubListState extends Hub.State {
    private static final String WHAT = "a SharedList";
    private final List<ByteString> elements = new ArrayList<>();
    /** The bytes this list holds in the hub's account (see {@link Hub#resize}): its elements' encoded sizes. */
    private long held;

    @Override
    synchronized void handle(Hub.Request request) {
        Call call = request.call();
        int index = (int) call.getA();
        try {
            switch (call.getOp()) {
                case LIST_GET -> request.ok(elements.get(index));
                case LIST_SET -> {
                    ByteString previous = elements.get(index);
                    account(call.getData().size() - previous.size());
                    request.ok(elements.set(index, call.getData()));
                }
                case LIST_ADD -> {
                    if (index >= 0 && index > elements.size()) {
                        throw new IndexOutOfBoundsException("Index: " + index + ", Size: " + elements.size());
                    }
                    account(call.getData().size());
                    if (index < 0) {
                        elements.add(call.getData());
                    } else {
                        elements.add(index, call.getData());
                    }
                    request.ok(0);
                }
                case LIST_ADD_ALL -> {
                    account(call.getArgsList().stream().mapToLong(ByteString::size).sum());
                    elements.addAll(call.getArgsList());
                    request.ok(0);
                }
                case LIST_REMOVE -> {
                    ByteString removed = elements.remove(index);
                    account(-removed.size());
                    request.ok(removed);
                }
                case LIST_SIZE -> request.ok(elements.size());
                case LIST_CLEAR -> {
                    elements.clear();
                    account(-held);
                    request.ok(0);
                }
                case LIST_SNAPSHOT -> request.reply().complete(Reply.newBuilder().setCallId(call.getCallId())
                        .setStatus(Reply.Status.OK).addAllMore(elements).build());
                default -> request.fail(Reply.Status.ILLEGAL_STATE, "not a list operation: " + call.getOp().name());
            }
        } catch (IndexOutOfBoundsException e) {
            request.thrown(new IndexOutOfBoundsException(e.getMessage()));
        } catch (IllegalStateException full) {
            request.thrown(full); // the hub has no room: the list is as it was
        }
    }

    /** @throws IllegalStateException if the hub has no room for {@code delta} more bytes; nothing changes then */
    private void account(long delta) {
        hub.resize(delta, WHAT);
        held += delta;
    }

    @Override
    synchronized void close() {
        elements.clear();
        account(-held);
    }
}
