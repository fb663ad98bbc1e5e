package dev.multiproc.transport.hazelcast;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import dev.multiproc.ChannelClosedException;
import dev.multiproc.spi.NativeJoinableQueue;
import java.io.Serial;
import java.util.concurrent.TimeUnit;

/**
 * A {@link NativeJoinableQueue}: a {@link HazelcastQueue}, unbounded, whose state entry also counts the unfinished
 * elements. An offer counts its element (refusing on a closed queue, in the same compare-and-set) before the element
 * goes in, so a consumer's {@code taskDone()} never runs ahead of the count; {@code taskDone()} takes one off unless
 * it is 0; {@code join} reads the count until it is 0, backing off from 1 to 20 ms between reads.
 */
final class HazelcastJoinableQueue extends HazelcastQueue implements NativeJoinableQueue {
    @Serial
    private static final long serialVersionUID = 1L;

    HazelcastJoinableQueue(String contextId, String stateKey, String queueName, long budgetBytes,
            int maxElementSize) {
        super(contextId, stateKey, queueName, budgetBytes, maxElementSize);
    }

    @Override
    void admit() {
        if (change(state -> state[CLOSED] != 0 ? null : new long[] {0, state[UNFINISHED] + 1}) == null) {
            throw new ChannelClosedException(this + " is closed");
        }
    }

    @Override
    void unadmit() {
        change(state -> new long[] {state[CLOSED], Math.max(0, state[UNFINISHED] - 1)});
    }

    @Override
    public boolean taskDone() {
        HazelcastInstances.syncWithParent(contextId(), this);
        try {
            return change(state -> state[UNFINISHED] == 0 ? null
                    : new long[] {state[CLOSED], state[UNFINISHED] - 1}) != null;
        } catch (HazelcastInstanceNotActiveException e) {
            throw HazelcastInstances.closed(contextId(), this, e);
        }
    }

    @Override
    public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = deadline(timeout, unit);
        long backoff = 1;
        try {
            while (state()[UNFINISHED] != 0) {
                if (deadline - System.nanoTime() <= 0) {
                    return false;
                }
                backoff = backoff(backoff, deadline);
            }
            return true;
        } catch (HazelcastInstanceNotActiveException e) {
            throw HazelcastInstances.closed(contextId(), this, e);
        }
    }

    @Override
    public String toString() {
        return "Joinable" + super.toString();
    }
}
