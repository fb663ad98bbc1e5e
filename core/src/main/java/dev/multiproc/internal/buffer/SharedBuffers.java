package dev.multiproc.internal.buffer;

import com.google.protobuf.ByteString;
import dev.multiproc.MultiprocException;
import dev.multiproc.SharedBuffer;
import dev.multiproc.SharedLock;
import dev.multiproc.internal.TransportRegistry;
import dev.multiproc.internal.handle.HubBuffer;
import dev.multiproc.internal.handle.HubHandle;
import dev.multiproc.internal.hub.Hub;
import dev.multiproc.internal.protocol.Reply;
import dev.multiproc.spi.NativeBuffer;
import dev.multiproc.spi.NativePrimitives;
import dev.multiproc.spi.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.Supplier;

/** Makes shared buffers, natively where the transport maps memory and in the hub elsewhere, and attaches them. */
public final class SharedBuffers {
    /** The prefix of the names of buffers in a parent's hub. */
    private static final String HUB = "hub:";
    /** The largest hub buffer: a Java array's limit. */
    private static final long MAX_HUB_SIZE = Integer.MAX_VALUE - 8;

    private SharedBuffers() {
    }

    /**
     * @param size the buffer's size in bytes
     * @param natives the context's transport's native primitives
     * @param contextId the context's id
     * @param hub the context's hub
     * @param newLock makes the buffer's lock (the context's non-reentrant lock, native where the transport has one)
     * @return a new zeroed buffer
     * @throws IllegalArgumentException if the size is under 1 or over what the storage holds
     */
    public static SharedBuffer create(long size, NativePrimitives natives, String contextId, Hub hub,
            Supplier<SharedLock> newLock) {
        if (size < 1) {
            throw new IllegalArgumentException("a shared buffer needs at least 1 byte, not " + size);
        }
        long nativeMax = natives.maxBufferSize();
        if (nativeMax > 0 && size > nativeMax) {
            throw new IllegalArgumentException("a shared buffer of " + size + " bytes is larger than this transport's"
                    + " largest, " + nativeMax + " bytes; split the data over several buffers");
        }
        Optional<NativeBuffer> mapped = natives.buffer(size);
        if (mapped.isPresent()) {
            NativeBuffer buffer = mapped.get();
            return new SharedBufferImpl(buffer.name(), size, new MappedAccess(buffer), buffer.lock());
        }
        if (size > MAX_HUB_SIZE) {
            throw new IllegalArgumentException("a shared buffer of " + size + " bytes is larger than the "
                    + MAX_HUB_SIZE + " bytes one kept in the parent's heap can hold; use the shm transport, or"
                    + " several buffers");
        }
        SharedLock lock = newLock.get();
        long id = hub.registerBuffer((int) size, ByteString.copyFrom(HubHandle.codec().encode(lock)));
        return new SharedBufferImpl(HUB + contextId + ":" + id, size, new HubBuffer(contextId, id), lock);
    }

    /**
     * Attaches a buffer by its name (see {@link dev.multiproc.Multiproc#attachBuffer}).
     *
     * @throws IllegalArgumentException if the name is not a buffer's name
     * @throws MultiprocException if the buffer cannot be reached from this process
     */
    public static SharedBuffer attach(String name) {
        int colon = name.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("\"" + name + "\" is not the name of a shared buffer: a name is what"
                    + " SharedBuffer.name() returned, such as shm:/dev/shm/multiproc-...");
        }
        if (name.startsWith(HUB)) {
            return attachInHub(name);
        }
        String transportName = name.substring(0, colon);
        Transport transport = TransportRegistry.named(transportName);
        Optional<NativeBuffer> found;
        try {
            found = transport.attachBuffer(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot attach shared buffer " + name + ": " + e.getMessage(), e);
        }
        NativeBuffer buffer = found.orElseThrow(() -> new IllegalArgumentException("the " + transportName
                + " transport makes no shared buffers that can be attached by name; \"" + name + "\" is not one"));
        return new SharedBufferImpl(buffer.name(), buffer.size(), new MappedAccess(buffer), buffer.lock());
    }

    private static SharedBuffer attachInHub(String name) {
        String[] parts = name.split(":", -1);
        long id;
        try {
            if (parts.length != 3) {
                throw new NumberFormatException();
            }
            id = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + name + "\" is not the name of a shared buffer (hub:<context>:"
                    + "<number>)", e);
        }
        HubBuffer handle = new HubBuffer(parts[1], id);
        Reply described;
        try {
            described = handle.attach();
        } catch (IllegalStateException e) {
            throw new MultiprocException("cannot attach shared buffer " + name + ": it lives in the hub of its"
                    + " context's parent, which only that context's processes reach (use the shm transport for"
                    + " buffers that any process can attach by name, or pass the SharedBuffer itself to a child): "
                    + e.getMessage(), e);
        }
        SharedLock lock = (SharedLock) HubHandle.codec().decode(described.getData().toByteArray());
        return new SharedBufferImpl(name, described.getValue(), handle, lock);
    }
}
