package dev.multiproc.internal.hub;

import com.google.protobuf.ByteString;
import dev.multiproc.SharedMap;
import dev.multiproc.internal.codec.Codec;
import dev.multiproc.internal.handle.HubHandle;
import dev.multiproc.internal.protocol.Call;
import dev.multiproc.internal.protocol.Reply;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A shared map in the parent: keys decoded (so that equal keys are one key, whatever their bytes), values kept
 * encoded and decoded only for a function to see them. Every operation runs under the state's monitor, so each is
 * atomic, functions included; a function that throws leaves the map as it was.
 */
public final class HubMapState extends Hub.State {
    /** Each key's encoded value; the bytes of keys and values count against the hub's budget (see {@link #held}). */
    private final Map<Object, ByteString> entries = new LinkedHashMap<>();
    /** The encoded size of each key, as it arrived. */
    private final Map<Object, Integer> keyBytes = new HashMap<>();
    /** The bytes this map holds in the hub's account: its keys' and values' encoded sizes. */
    private long held;

    private static Codec codec() {
        return HubHandle.codec();
    }

    private static Object decode(ByteString bytes) {
        return codec().decode(bytes.toByteArray());
    }

    private static ByteString encode(Object value) {
        return value == null ? null : ByteString.copyFrom(codec().encode(value));
    }

    @Override
    synchronized void handle(Hub.Request request) {
        Call call = request.call();
        try {
            switch (call.getOp()) {
                case MAP_GET -> request.okMaybe(entries.get(decode(call.getArgs(0))));
                case MAP_PUT -> request.okMaybe(put(decode(call.getArgs(0)), call.getArgs(0), call.getArgs(1)));
                case MAP_PUT_IF_ABSENT -> {
                    Object key = decode(call.getArgs(0));
                    ByteString present = entries.get(key);
                    request.okMaybe(present != null ? present : put(key, call.getArgs(0), call.getArgs(1)));
                }
                case MAP_REMOVE -> request.okMaybe(remove(decode(call.getArgs(0))));
                case MAP_CONTAINS -> request.ok(entries.containsKey(decode(call.getArgs(0))) ? 1 : 0);
                case MAP_SIZE -> request.ok(entries.size());
                case MAP_CLEAR -> {
                    clear();
                    request.ok(0);
                }
                case MAP_COMPUTE -> request.okMaybe(compute(call));
                case MAP_SNAPSHOT -> {
                    Reply.Builder answer = Reply.newBuilder().setCallId(call.getCallId()).setStatus(Reply.Status.OK);
                    entries.forEach((key, value) -> answer.addMore(encode(key)).addMore(value));
                    request.reply().complete(answer.build());
                }
                default -> request.fail(Reply.Status.ILLEGAL_STATE, "not a map operation: " + call.getOp().name());
            }
        } catch (RuntimeException | Error thrown) {
            // decoding a key or value, or the user's function: the caller gets what was thrown, the map is as it was
            request.thrown(thrown);
        }
    }

    /** compute, computeIfAbsent, computeIfPresent and merge; the map changes only after the function returned. */
    @SuppressWarnings("unchecked")
    private ByteString compute(Call call) {
        Object key = decode(call.getArgs(0));
        ByteString present = entries.get(key);
        Object result;
        switch ((int) call.getB()) {
            case 0 -> result = ((SharedMap.Remapping<Object, Object, Object>) decode(call.getArgs(1)))
                    .apply(key, present == null ? null : decode(present));
            case 1 -> {
                if (present != null) {
                    return present;
                }
                result = ((SharedMap.Mapping<Object, Object>) decode(call.getArgs(1))).apply(key);
                if (result == null) {
                    return null;
                }
            }
            case 2 -> {
                if (present == null) {
                    return null;
                }
                result = ((SharedMap.Remapping<Object, Object, Object>) decode(call.getArgs(1)))
                        .apply(key, decode(present));
            }
            case 3 -> {
                if (present == null) {
                    put(key, call.getArgs(0), call.getArgs(1));
                    return call.getArgs(1);
                }
                result = ((SharedMap.Remapping<Object, Object, Object>) decode(call.getArgs(2)))
                        .apply(decode(present), decode(call.getArgs(1)));
            }
            default -> throw new IllegalArgumentException("unknown compute mode " + call.getB());
        }
        ByteString encoded = encode(result);
        if (encoded == null) {
            remove(key);
        } else {
            put(key, call.getArgs(0), encoded);
        }
        return encoded;
    }

    /**
     * Maps {@code key} to {@code value}, accounting for the bytes.
     *
     * @param encodedKey the key as it arrived, whose size is what it costs
     * @return the value it replaced, or null
     * @throws IllegalStateException if the hub has no room for the growth; the map is then as it was
     */
    private ByteString put(Object key, ByteString encodedKey, ByteString value) {
        ByteString previous = entries.get(key);
        Integer keySize = keyBytes.get(key);
        long before = previous == null ? 0 : (long) keySize + previous.size();
        long after = (long) (previous == null ? encodedKey.size() : keySize) + value.size();
        hub.resize(after - before, "a SharedMap");
        held += after - before;
        if (previous == null) {
            keyBytes.put(key, encodedKey.size());
        }
        entries.put(key, value);
        return previous;
    }

    private ByteString remove(Object key) {
        ByteString previous = entries.remove(key);
        if (previous != null) {
            long size = (long) keyBytes.remove(key) + previous.size();
            hub.resize(-size, "a SharedMap");
            held -= size;
        }
        return previous;
    }

    private void clear() {
        entries.clear();
        keyBytes.clear();
        hub.resize(-held, "a SharedMap");
        held = 0;
    }

    @Override
    synchronized void close() {
        clear();
    }
}
