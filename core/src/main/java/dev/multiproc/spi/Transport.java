package dev.multiproc.spi;

import java.io.IOException;
import java.util.Optional;

/**
 * A multiproc transport, found with {@link java.util.ServiceLoader}. See the {@linkplain dev.multiproc.spi package
 * documentation} for the whole contract.
 *
 * <p>An instance is a stateless factory: core makes one per JVM and uses it for every context, whose state lives
 * in the {@link ParentTransport} that {@link #open} returns. A child makes its parent's transport class with its
 * public no-argument constructor (through {@code ServiceLoader} if its module does not export it), so that it
 * loads no other transport.
 */
public interface Transport {

    /**
     * @return the transport's short name, as users give it to {@code -Dmultiproc.transport}: lower case, e.g.
     *         {@code "pipe"}
     */
    String name();

    /**
     * @return the preference among several transports on the class path when none is named; higher wins
     */
    default int priority() {
        return 0;
    }

    /**
     * @return true if this transport carries messages over the child's standard input and output; core then
     *         keeps the child's {@code System.out} off the child's fd 1
     */
    default boolean usesStandardStreams() {
        return false;
    }

    /**
     * Opens the parent side, once per context.
     *
     * @param config settings shared by the transport's channels
     * @return the parent side; closed with the context
     * @throws IOException if the medium cannot be set up (the context then fails to open with this as its cause)
     */
    ParentTransport open(TransportConfig config) throws IOException;

    /**
     * In a child process: connects to the parent. Called once, before any user code, on a thread of its own in the
     * thread group {@code multiproc-transport}. Threads made on that thread, and threads those make in turn, belong to
     * that group; at the end of a process's target the child waits for the non-daemon threads the target started, as
     * a JVM does before it exits, but never for the threads of this group. A transport whose library starts
     * non-daemon threads later from the caller's thread (on a {@code send}, say) must start them from one of its own
     * threads instead, or the child waits for them.
     *
     * @param endpoint the descriptor the parent's {@link ChildAttachment} gave, and the child's standard streams
     * @return the channel to the parent, not yet started
     * @throws IOException if the connection fails (the child then exits with status 3)
     */
    MessageChannel connect(ChildEndpoint endpoint) throws IOException;

    /**
     * Attaches, in any process, a buffer this transport made in some context (Python's
     * {@code SharedMemory(name=...)}): {@link dev.multiproc.Multiproc#attachBuffer(String)} calls it with a name that
     * begins with this transport's name and a colon, as {@link NativeBuffer#name()} gave it.
     *
     * @param name the buffer's name
     * @return the buffer, mapped lazily; empty if this transport makes no buffer that can be attached by name
     * @throws IllegalArgumentException if the name is not one this transport gives
     * @throws IOException if the buffer does not exist (its context has closed, say) or is not a buffer
     */
    default Optional<NativeBuffer> attachBuffer(String name) throws IOException {
        return Optional.empty();
    }
}
