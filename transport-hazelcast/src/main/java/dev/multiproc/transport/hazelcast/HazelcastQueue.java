package dev.multiproc.transport.hazelcast;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import com.hazelcast.transaction.TransactionContext;
import com.hazelcast.transaction.TransactionOptions;
import dev.multiproc.ChannelClosedException;
import dev.multiproc.spi.HmacSha256;
import dev.multiproc.spi.NativeQueue;
import java.io.Serial;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A {@link NativeQueue} on the cluster's own {@code IQueue<byte[]>}: producers and consumers reach it directly, with
 * no stop at the parent's hub.
 *
 * <ul>
 * <li><b>Authenticated elements.</b> Each element is {@code [payload][HMAC-SHA256, 32]}, the MAC under the
 * context's objects key ({@link HazelcastJoin#objectsKey}) over the queue's name and the payload. An element that
 * fails the check is dropped with a warning: nothing forged or moved from another queue reaches the user's decoder.
 * Replays are not detected: a consumer cannot tell a copy put back by someone in the cluster from an element that a
 * dead consumer's rolled-back take returned late.</li>
 * <li><b>Nothing lost to a dying consumer.</b> A take is a one-phase transaction (begin, poll, commit). If the
 * consumer dies before it commits (killed while the element is on its way to it), the member rolls the transaction
 * back when its client disconnects, and the element is in the queue again.</li>
 * <li><b>Close.</b> The queue's state is an entry {@code {closed, unfinished, tag, tag}} of the context's
 * {@code multiproc.<context>.queues} map, changed by the exactly-once compare-and-set of {@link HazelcastCell}. An
 * offer reads it first and fails on a closed queue; a take that finds the queue empty reads it, and throws once the
 * queue is closed and empty. A waiting take looks every {@value #SLICE_MILLIS} ms.</li>
 * <li><b>Memory.</b> A bounded queue is an {@code IQueue} with that {@code max-size}. Elements of
 * {@value #ACCOUNTED_BYTES} bytes or more also count against a byte budget for all the context's queues (a quarter
 * of the parent's heap, whose member holds them): a producer waits while it is spent, so that producers cannot fill
 * the member's heap with big elements nobody takes yet. Smaller elements are not counted: the two round trips would
 * cost more than most of them carry.</li>
 * </ul>
 *
 * <p>A write (an offer, a close) from a child first waits until the parent has handled what the child sent it before
 * ({@link HazelcastInstances#syncWithParent}), so that other processes see the child's operations in its program
 * order. Serializable: it carries its context's id and names, and finds this process's way into the cluster through
 * {@link HazelcastInstances}.
 */
class HazelcastQueue implements NativeQueue {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger("dev.multiproc.transport.hazelcast");
    /** Elements at least this big count against the context's byte budget. */
    static final int ACCOUNTED_BYTES = 64 * 1024;
    static final long SLICE_MILLIS = 200;
    private static final long MAX_BACKOFF_MILLIS = 20;
    private static final int MAC = 32;
    /** The state entry of the byte budget, in the same map as the queues' states: {bytes held, 0, tag, tag}. */
    private static final String BUDGET = "bytes";
    static final int CLOSED = 0;
    static final int UNFINISHED = 1;
    private static final TransactionOptions ONE_PHASE = new TransactionOptions()
            .setTransactionType(TransactionOptions.TransactionType.ONE_PHASE);

    private final String contextId;
    private final String stateKey;
    private final String queueName;
    private final long budgetBytes;
    private final int maxElementSize;

    /**
     * Makes the queue's state entry (and the context's budget entry, once). Called in the parent.
     *
     * @param queueName the {@code IQueue}'s name, with the partition key that places it
     * @param budgetBytes the most bytes of big elements the context's queues hold together
     * @param maxElementSize the largest element the transport carries
     */
    HazelcastQueue(String contextId, String stateKey, String queueName, long budgetBytes, int maxElementSize) {
        this.contextId = contextId;
        this.stateKey = stateKey;
        this.queueName = queueName;
        this.budgetBytes = budgetBytes;
        this.maxElementSize = maxElementSize;
        try {
            IMap<String, long[]> states = states();
            states.set(stateKey, tagged(0, 0));
            states.putIfAbsent(BUDGET, tagged(0, 0));
        } catch (HazelcastInstanceNotActiveException e) {
            throw HazelcastInstances.closed(contextId, this, e);
        }
    }

    final String contextId() {
        return contextId;
    }

    /** @return the name of the map that holds a context's queue states */
    static String mapName(String contextId) {
        return "multiproc." + contextId + ".queues";
    }

    @Override
    public boolean offer(byte[] element, long timeout, TimeUnit unit) throws InterruptedException {
        if (element.length > maxElementSize) {
            throw new IllegalArgumentException("an element of " + element.length + " bytes exceeds the maximum of "
                    + maxElementSize + " bytes (raise it with -Dmultiproc.maxMessageSize)");
        }
        long deadline = deadline(timeout, unit);
        HazelcastInstances.syncWithParent(contextId, this);
        try {
            admit();
            boolean offered = false;
            try {
                int counted = element.length >= ACCOUNTED_BYTES ? element.length : 0;
                if (counted > 0 && !reserve(counted, deadline)) {
                    return false;
                }
                try {
                    offered = put(seal(element), deadline);
                } finally {
                    if (!offered && counted > 0) {
                        release(counted);
                    }
                }
                return offered;
            } finally {
                if (!offered) {
                    unadmit();
                }
            }
        } catch (HazelcastInstanceNotActiveException e) {
            throw HazelcastInstances.closed(contextId, this, e);
        }
    }

    private boolean put(byte[] frame, long deadline) throws InterruptedException {
        IQueue<byte[]> queue = HazelcastInstances.of(contextId, this).getQueue(queueName);
        if (deadline == Long.MAX_VALUE) {
            queue.put(frame);
            return true;
        }
        return queue.offer(frame, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /**
     * Before an element goes in: a plain queue checks that it is open; a joinable one also counts the element as
     * unfinished.
     *
     * @throws ChannelClosedException if the queue is closed
     */
    void admit() {
        if (state()[CLOSED] != 0) {
            throw new ChannelClosedException(this + " is closed");
        }
    }

    /** Undoes {@link #admit()} for an element that did not go in. */
    void unadmit() {
        // a plain queue counted nothing
    }

    @Override
    public byte[] poll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = deadline(timeout, unit);
        try {
            while (true) {
                long slice = Math.min(Math.max(0, deadline - System.nanoTime()),
                        TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS));
                byte[] element = take(slice);
                if (element == null && state()[CLOSED] != 0) {
                    element = take(0);
                    if (element == null) {
                        throw new ChannelClosedException(this + " is closed and empty");
                    }
                }
                if (element != null) {
                    byte[] payload = open(element);
                    if (payload != null) {
                        if (payload.length >= ACCOUNTED_BYTES) {
                            release(payload.length);
                        }
                        return payload;
                    }
                } else if (deadline - System.nanoTime() <= 0) {
                    return null;
                }
            }
        } catch (HazelcastInstanceNotActiveException e) {
            throw HazelcastInstances.closed(contextId, this, e);
        }
    }

    /**
     * Takes the head in a transaction, so that the member puts it back if this process dies before the commit.
     *
     * @return the head's frame, or null if the queue stayed empty for {@code nanos}
     */
    private byte[] take(long nanos) throws InterruptedException {
        TransactionContext transaction = HazelcastInstances.of(contextId, this).newTransactionContext(ONE_PHASE);
        transaction.beginTransaction();
        boolean committed = false;
        try {
            byte[] frame = transaction.<byte[]>getQueue(queueName).poll(nanos, TimeUnit.NANOSECONDS);
            transaction.commitTransaction();
            committed = true;
            return frame;
        } finally {
            if (!committed) {
                try {
                    transaction.rollbackTransaction();
                } catch (RuntimeException e) {
                    // the member rolls back a transaction whose owner is gone, or whose time ran out
                }
            }
        }
    }

    @Override
    public int size() {
        try {
            state(); // a closed context's queue says so
            return HazelcastInstances.of(contextId, this).getQueue(queueName).size();
        } catch (HazelcastInstanceNotActiveException e) {
            throw HazelcastInstances.closed(contextId, this, e);
        }
    }

    @Override
    public void close() {
        HazelcastInstances.syncWithParent(contextId, this);
        try {
            change(stateKey, state -> state[CLOSED] != 0 ? null : new long[] {1, state[UNFINISHED]});
        } catch (HazelcastInstanceNotActiveException e) {
            throw HazelcastInstances.closed(contextId, this, e);
        }
    }

    // ---- the state entries ----

    final IMap<String, long[]> states() {
        return HazelcastInstances.of(contextId, this).getMap(mapName(contextId));
    }

    /** @return this queue's state: {closed, unfinished, tag, tag} */
    final long[] state() {
        long[] state = states().get(stateKey);
        if (state == null) {
            throw HazelcastInstances.closed(contextId, this, null);
        }
        return state;
    }

    /**
     * Changes this queue's state, exactly once.
     *
     * @param update the new {closed, unfinished} from the current state, or null to leave it alone
     * @return the state before the change, or null if {@code update} left it alone
     */
    final long[] change(UnaryOperator<long[]> update) {
        return change(stateKey, update);
    }

    private long[] change(String key, UnaryOperator<long[]> update) {
        IMap<String, long[]> states = states();
        while (true) {
            long[] current = states.get(key);
            if (current == null) {
                throw HazelcastInstances.closed(contextId, this, null);
            }
            long[] values = update.apply(current);
            if (values == null) {
                return null;
            }
            if (HazelcastCell.replaceOnce(states, key, current, tagged(values[0], values[1]))) {
                return current;
            }
        }
    }

    private static long[] tagged(long first, long second) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new long[] {first, second, random.nextLong(), random.nextLong()};
    }

    /** Takes {@code bytes} from the context's budget, waiting while it is spent (it always admits one element). */
    private boolean reserve(long bytes, long deadline) throws InterruptedException {
        long backoff = 1;
        while (change(BUDGET, held -> held[0] == 0 || held[0] + bytes <= budgetBytes
                ? new long[] {held[0] + bytes, 0} : null) == null) {
            if (deadline - System.nanoTime() <= 0) {
                return false;
            }
            backoff = backoff(backoff, deadline);
        }
        return true;
    }

    private void release(long bytes) {
        change(BUDGET, held -> new long[] {Math.max(0, held[0] - bytes), 0});
    }

    /** Sleeps a step of a wait that polls the cluster, longer each time up to {@value #MAX_BACKOFF_MILLIS} ms. */
    static long backoff(long millis, long deadline) throws InterruptedException {
        Thread.sleep(Math.max(1, Math.min(millis, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
        return Math.min(MAX_BACKOFF_MILLIS, millis * 2);
    }

    /** @return the {@link System#nanoTime()} deadline, or {@link Long#MAX_VALUE} for none */
    static long deadline(long timeout, TimeUnit unit) {
        long nanos = unit.toNanos(Math.max(0, timeout));
        return nanos >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE : System.nanoTime() + nanos;
    }

    // ---- the elements ----

    private byte[] label() {
        return queueName.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] seal(byte[] payload) {
        byte[] frame = Arrays.copyOf(payload, payload.length + MAC);
        byte[] mac = HmacSha256.of(HazelcastInstances.objectsKey(contextId, this), label(), payload);
        System.arraycopy(mac, 0, frame, payload.length, MAC);
        return frame;
    }

    /** @return the payload of an authentic element of this queue, or null (with a warning) for anything else */
    private byte[] open(byte[] frame) {
        if (frame.length >= MAC) {
            byte[] payload = Arrays.copyOf(frame, frame.length - MAC);
            byte[] mac = HmacSha256.of(HazelcastInstances.objectsKey(contextId, this), label(), payload);
            if (MessageDigest.isEqual(mac, Arrays.copyOfRange(frame, frame.length - MAC, frame.length))) {
                return payload;
            }
        }
        LOG.log(System.Logger.Level.WARNING, "multiproc: dropped an element of " + frame.length + " bytes from "
                + this + " that was not put by a process of this context (its HMAC does not check): someone else"
                + " in the cluster is writing to it");
        return null;
    }

    @Override
    public String toString() {
        return "Queue[" + queueName + "]";
    }
}
