package dev.multiproc.spi;

import java.io.IOException;
import java.util.Optional;

/**
 * The parent side of a transport, one per context.
 */
public interface ParentTransport extends AutoCloseable {

    /**
     * Prepares the channel to a child that core is about to spawn.
     *
     * @param childId a unique id of the child within the context
     * @return the attachment, which gives the child's descriptor now and the channel once the child is spawned
     * @throws IOException if the medium cannot make another channel
     */
    ChildAttachment prepare(String childId) throws IOException;

    /**
     * @return the primitives this transport implements natively; the default implements none
     */
    default NativePrimitives primitives() {
        return NativePrimitives.NONE;
    }

    /**
     * Gives access to workers that join from outside (another host, or a process core did not start), for pools
     * built with {@link dev.multiproc.Pool.Builder#remoteWorkers(int)}. Like {@link NativePrimitives}, a capability
     * is reported by what this returns, not by an exception.
     *
     * @return the remote workers of this context, or empty if this transport cannot take any; the default is empty
     * @throws IllegalStateException if the transport could take remote workers but is not configured for them; the
     *         message says what to configure
     */
    default Optional<RemoteWorkers> remoteWorkers() {
        return Optional.empty();
    }

    /**
     * Releases everything the transport holds: channels, threads, files, ports. Idempotent.
     */
    @Override
    void close();
}
