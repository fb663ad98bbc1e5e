package dev.multiproc.spi;

import dev.multiproc.internal.child.RemoteChild;
import java.util.Objects;

/**
 * The worker's side of {@link RemoteWorkers}: what a transport's remote-worker launcher calls once it has connected
 * to the parent and authenticated, to run this JVM as a pool worker. The same worker loop as a spawned child, with
 * the channel as its lifeline: the JVM exits with status 0 when the parent shuts the worker down, and 3 when the
 * connection drops. The socket transport's {@code RemoteWorker} is the worked example.
 */
public final class RemoteWorkerMain {
    private RemoteWorkerMain() {
    }

    /**
     * Serves as a pool worker over {@code channel} until the parent shuts it down or the connection drops. Never
     * returns. This JVM's {@code System.out} lines travel to the parent and appear on its standard output; its
     * {@code System.err} stays here.
     *
     * @param contextId the id of the parent's context, as the parent's transport announced it
     * @param childId the id this worker authenticated with
     * @param channel the connected, authenticated channel to the parent, not yet started
     */
    public static void serve(String contextId, String childId, MessageChannel channel) {
        RemoteChild.serve(Objects.requireNonNull(contextId, "contextId"), Objects.requireNonNull(childId, "childId"),
                Objects.requireNonNull(channel, "channel"));
    }
}
