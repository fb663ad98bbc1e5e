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
     * Releases everything the transport holds: channels, threads, files, ports. Idempotent.
     */
    @Override
    void close();
}
