package dev.multiproc.spi;

import java.util.concurrent.CompletableFuture;

/**
 * Worker processes that join a context from outside: started by hand or by a script, on this host or another,
 * rather than spawned by core. A transport that can take them returns this from
 * {@link ParentTransport#remoteWorkers()}.
 *
 * <p>A remote worker connects and authenticates on its own, then waits until a pool claims it with
 * {@link #next()}. From then on core treats it as a pool worker whose channel is its only lifeline: when the
 * channel closes, the worker is gone (and exits on its side, since it lost its parent).
 *
 * <p>Thread-safe.
 */
public interface RemoteWorkers {

    /**
     * @return the shell command that starts a remote worker joining this context, for error messages and logs,
     *         e.g. {@code java -cp app.jar dev.multiproc.transport.socket.RemoteWorker --connect 10.0.0.1:7000
     *         --authkey-file /etc/app/authkey}. Never contains a secret.
     */
    String howToStart();

    /**
     * Claims the next remote worker that has connected and authenticated and that no pool holds yet.
     *
     * @return a future completed with the worker once one is available (at once if one is waiting). Cancelling
     *         the future withdraws the claim; a worker is never handed to a cancelled future.
     */
    CompletableFuture<Joined> next();

    /**
     * A remote worker that joined.
     *
     * @param childId the worker's id within the context, unique among connected workers; its {@code Hello} carries
     *        the same id
     * @param description where it runs, for messages, e.g. {@code "worker 'box7' at 10.0.0.2:40122"}
     * @param channel its channel, not yet started; messages it sent before are kept for {@code start}
     */
    record Joined(String childId, String description, MessageChannel channel) {
    }
}
