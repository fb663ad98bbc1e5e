package dev.multiproc.internal.handle;

import dev.multiproc.MultiprocException;
import dev.multiproc.internal.ContextImpl;
import dev.multiproc.internal.child.ChildRuntime;
import dev.multiproc.internal.protocol.Call;
import dev.multiproc.internal.protocol.Reply;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Carries a hub operation from a handle to the hub: a direct call in the parent, a Call/Reply round trip over the
 * channel in a child.
 */
public interface Invoker {

    /**
     * @param call the operation; the invoker sets its call id and thread id
     * @param interruptible whether an interrupt withdraws a waiting operation (it then throws
     *        InterruptedException, unless the operation completed first, in which case the reply is returned and
     *        the thread's interrupt flag stays set)
     * @return the reply
     * @throws InterruptedException if interrupted and the operation was withdrawn
     */
    Reply invoke(Call.Builder call, boolean interruptible) throws InterruptedException;

    /** @return the largest message the context's processes exchange, in bytes */
    int maxMessageSize();

    /** Finds the invoker for a context's handles in this process. */
    static Invoker forContext(String contextId) {
        ChildRuntime child = ChildRuntime.current();
        if (child != null && child.contextId().equals(contextId)) {
            return child;
        }
        ContextImpl context = ContextImpl.byId(contextId);
        if (context != null) {
            return context.localInvoker();
        }
        throw new MultiprocException("This handle belongs to a multiproc Context (" + contextId + ") that is closed"
                + " or not reachable from this process; shared objects live as long as the Context that made them.");
    }

    /**
     * Waits for a reply, spinning first for up to {@code spinNanos}; on interrupt, withdraws the operation and
     * waits for the hub to confirm.
     */
    static Reply await(CompletableFuture<Reply> reply, boolean interruptible, long spinNanos, Runnable withdraw)
            throws InterruptedException {
        boolean interrupted = false;
        SpinWait.spinUntil(reply::isDone, spinNanos);
        Reply answer = null;
        RuntimeException failure = null;
        boolean done = false;
        while (!done) {
            try {
                answer = reply.get();
                done = true;
            } catch (InterruptedException e) {
                if (interruptible && !interrupted) {
                    withdraw.run();
                }
                interrupted = true;
            } catch (ExecutionException e) {
                failure = new MultiprocException("hub operation failed: " + e.getCause(), e.getCause());
                done = true;
            } catch (CancellationException e) {
                failure = new MultiprocException("hub operation was abandoned", e);
                done = true;
            }
        }
        if (interrupted) {
            if (interruptible && answer != null && answer.getStatus() == Reply.Status.CANCELLED) {
                // withdrawn: the interrupt is reported by the exception, as InterruptedException does
                throw new InterruptedException("interrupted while waiting for a shared object");
            }
            Thread.currentThread().interrupt(); // it completed first: the caller gets it, with the flag set
        }
        if (failure != null) {
            throw failure;
        }
        return answer;
    }
}
