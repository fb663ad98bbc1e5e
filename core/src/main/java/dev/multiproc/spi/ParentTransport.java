package dev.multiproc.spi;

import java.io.IOException;

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
     * built with {@link dev.multiproc.Pool.Builder#remoteWorkers(int)}.
     *
     * @return the remote workers of this context
     * @throws UnsupportedOperationException if this transport, as configured, cannot take remote workers; the
     *         message says why and what to configure. The default always throws.
     */
    default RemoteWorkers remoteWorkers() {
        throw new UnsupportedOperationException("this transport cannot take remote workers");
    }

    /**
     * Releases everything the transport holds: channels, threads, files, ports. Idempotent.
     */
    @Override
    void close();
}
