package dev.multiproc.transport.hazelcast;

import dev.multiproc.spi.HmacSha256;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;

/**
 * How a remote worker ({@link HazelcastWorker}) joins a parent through the cluster, both sides proving that they
 * know the shared authkey and that they are live, not replayed.
 *
 * <ol>
 * <li>The worker offers a <em>join request</em> to the parent's join queue (its name derives from the key, so that
 * only parents with the same key read it): its id, name, Hazelcast client UUID and a fresh nonce {@code Nw}, in a
 * frame whose HMAC is under the authkey.</li>
 * <li>The parent answers on the worker's down queue with a <em>welcome</em>: a fresh nonce {@code Np}, the context's
 * id, its member's UUID and the largest message it takes, in a frame whose HMAC is under the session key
 * {@code Ks = HMAC(authkey, "multiproc.session", Nw, Np, id)}. Only a holder of the key that saw this worker's
 * {@code Nw} can make it.</li>
 * <li>The worker answers with a hello on its up queue under {@code Ks}: only a holder of the key that saw this
 * parent's {@code Np} can make it. A replayed join request therefore gets no further than a welcome nobody can
 * answer.</li>
 * </ol>
 * Every later frame of the channel is under {@code Ks} and numbered from 1 in each direction.
 */
final class HazelcastJoin {
    static final int NONCE_LENGTH = 32;
    static final int MAX_NAME_LENGTH = 100;
    /** The namespace of remote workers' queues, in place of a context id the worker does not know yet. */
    static final String REMOTE = "remote";
    private static final byte[] JOIN_LABEL = "multiproc.join".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SESSION_LABEL = "multiproc.session".getBytes(StandardCharsets.UTF_8);
    private static final int MAX_CONTEXT_ID_LENGTH = 200;
    private static final byte[] OBJECTS_LABEL = "multiproc.objects".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OBJECTS_PAD_LABEL = "multiproc.objects.seal".getBytes(StandardCharsets.UTF_8);
    private static final int OBJECTS_KEY_LENGTH = 32;

    private HazelcastJoin() {
    }

    /** A worker's join request. */
    @SuppressWarnings("ArrayRecordComponent") // carried, never compared or hashed
    record Request(String workerId, String name, UUID client, byte[] nonce) {
    }

    /** A parent's welcome. */
    @SuppressWarnings("ArrayRecordComponent") // carried, never compared or hashed
    record Welcome(byte[] nonce, String contextId, UUID parentMember, int maxMessageSize, byte[] sealedObjectsKey) {
    }

    /**
     * @param contextKey the context's key, which its local children share
     * @return the key under which the context's shared objects in the cluster (its queues) authenticate their
     *         elements: every process of the context holds it, a remote worker through its welcome
     */
    static byte[] objectsKey(byte[] contextKey) {
        return HmacSha256.of(contextKey, OBJECTS_LABEL);
    }

    /**
     * Seals (or unseals: the operation is its own inverse) a context's objects key for one remote worker: XOR with a
     * pad drawn from the session key, which is fresh for every join and known to the two ends only, and used for
     * nothing else.
     */
    static byte[] sealObjectsKey(byte[] sessionKey, byte[] objectsKey) {
        byte[] pad = HmacSha256.of(sessionKey, OBJECTS_PAD_LABEL);
        byte[] sealed = new byte[objectsKey.length];
        for (int i = 0; i < sealed.length; i++) {
            sealed[i] = (byte) (objectsKey[i] ^ pad[i]);
        }
        return sealed;
    }

    /** @return the name of the queue that parents holding {@code authkey} read join requests from */
    static String joinQueue(byte[] authkey) {
        byte[] tag = HmacSha256.of(authkey, "multiproc.joins".getBytes(StandardCharsets.UTF_8));
        return "multiproc.joins." + HexFormat.of().formatHex(tag, 0, 8);
    }

    static byte[] request(byte[] authkey, Request request) {
        byte[] id = request.workerId().getBytes(StandardCharsets.UTF_8);
        byte[] name = request.name().getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.allocate(2 + id.length + 2 + name.length + 16 + NONCE_LENGTH);
        payload.putShort((short) id.length).put(id).putShort((short) name.length).put(name);
        payload.putLong(request.client().getMostSignificantBits()).putLong(request.client().getLeastSignificantBits());
        payload.put(request.nonce()).flip();
        return HazelcastFrame.encode(authkey, JOIN_LABEL, HazelcastFrame.JOIN, 0, payload);
    }

    /**
     * @throws ProtocolException if {@code element} is not a join request made with {@code authkey}
     */
    static Request parseRequest(byte[] authkey, Object element) throws ProtocolException {
        if (HazelcastFrame.verify(authkey, JOIN_LABEL, element, 0, "a joining worker") != HazelcastFrame.JOIN) {
            throw new ProtocolException("a frame in the join queue is not a join request");
        }
        byte[] frame = (byte[]) element;
        ByteBuffer in = ByteBuffer.wrap(frame, HazelcastFrame.HEADER, HazelcastFrame.payloadLength(frame));
        try {
            String id = string(in, MAX_NAME_LENGTH * 2);
            String name = string(in, MAX_NAME_LENGTH * 4);
            UUID client = new UUID(in.getLong(), in.getLong());
            byte[] nonce = new byte[NONCE_LENGTH];
            in.get(nonce);
            if (in.hasRemaining() || id.isEmpty()) {
                throw new ProtocolException("a malformed join request");
            }
            return new Request(id, name, client, nonce);
        } catch (java.nio.BufferUnderflowException e) {
            throw new ProtocolException("a truncated join request");
        }
    }

    static byte[] sessionKey(byte[] authkey, Request request, byte[] parentNonce) {
        return HmacSha256.of(authkey, SESSION_LABEL, request.nonce(), parentNonce,
                request.workerId().getBytes(StandardCharsets.UTF_8));
    }

    static byte[] welcome(byte[] sessionKey, byte[] downLabel, Welcome welcome) {
        byte[] context = welcome.contextId().getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.allocate(NONCE_LENGTH + 2 + context.length + 16 + 4 + OBJECTS_KEY_LENGTH);
        payload.put(welcome.nonce()).putShort((short) context.length).put(context);
        payload.putLong(welcome.parentMember().getMostSignificantBits())
                .putLong(welcome.parentMember().getLeastSignificantBits());
        payload.putInt(welcome.maxMessageSize()).put(welcome.sealedObjectsKey()).flip();
        return HazelcastFrame.encode(sessionKey, downLabel, HazelcastFrame.HELLO, 0, payload);
    }

    /**
     * Reads a welcome, then checks it under the session key its nonce gives.
     *
     * @return the welcome, and in {@code sessionKey[0]} the session key
     * @throws ProtocolException if it is not a welcome made with the authkey for this request
     */
    static Welcome parseWelcome(byte[] authkey, Request request, byte[] downLabel, Object element,
            byte[][] sessionKey) throws ProtocolException {
        if (!(element instanceof byte[] frame) || frame.length < HazelcastFrame.HEADER + HazelcastFrame.MAC
                + NONCE_LENGTH) {
            throw new ProtocolException("the parent's welcome is not a multiproc frame");
        }
        ByteBuffer in = ByteBuffer.wrap(frame, HazelcastFrame.HEADER, HazelcastFrame.payloadLength(frame));
        try {
            byte[] nonce = new byte[NONCE_LENGTH];
            in.get(nonce);
            byte[] key = sessionKey(authkey, request, nonce);
            if (HazelcastFrame.verify(key, downLabel, frame, 0, "the parent") != HazelcastFrame.HELLO) {
                throw new ProtocolException("the parent's first frame is not a welcome");
            }
            String contextId = string(in, MAX_CONTEXT_ID_LENGTH);
            UUID member = new UUID(in.getLong(), in.getLong());
            int maxMessageSize = in.getInt();
            byte[] sealedObjectsKey = new byte[OBJECTS_KEY_LENGTH];
            in.get(sealedObjectsKey);
            if (in.hasRemaining() || maxMessageSize <= 0) {
                throw new ProtocolException("a malformed welcome");
            }
            sessionKey[0] = key;
            return new Welcome(nonce, contextId, member, maxMessageSize, sealedObjectsKey);
        } catch (java.nio.BufferUnderflowException e) {
            throw new ProtocolException("a truncated welcome");
        }
    }

    private static String string(ByteBuffer in, int maxLength) throws ProtocolException {
        int length = Short.toUnsignedInt(in.getShort());
        if (length > maxLength || length > in.remaining()) {
            throw new ProtocolException("a string of " + length + " bytes in a join frame");
        }
        byte[] bytes = Arrays.copyOfRange(in.array(), in.arrayOffset() + in.position(),
                in.arrayOffset() + in.position() + length);
        in.position(in.position() + length);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
