/**
 * The transport SPI: what a multiproc transport implements.
 *
 * <h2>What a transport is</h2>
 * A transport moves <em>messages</em> (whole byte arrays, in order, without loss or duplication) between the
 * parent and each child process, over some medium: the child's anonymous stdin/stdout pipes, a TCP connection,
 * rings in shared memory. Core owns everything else: the protocol inside the messages, the child launcher, the
 * pool, and default ("hub") implementations of every shared primitive, whose state lives in the parent and whose
 * operations travel as messages, as with Python's {@code Manager}.
 *
 * <h2>What to implement</h2>
 * <ol>
 * <li>{@link dev.multiproc.spi.Transport}, registered for {@link java.util.ServiceLoader} in
 *     {@code META-INF/services/dev.multiproc.spi.Transport}. It must have a public no-argument constructor and be
 *     cheap to construct: it is instantiated in every child process too.</li>
 * <li>{@link dev.multiproc.spi.ParentTransport}: opened once per {@link dev.multiproc.Context}; per child it
 *     {@linkplain dev.multiproc.spi.ParentTransport#prepare(String) prepares} an attachment, which gives the
 *     child a descriptor string and, once core has spawned the child, yields the parent's
 *     {@link dev.multiproc.spi.MessageChannel} to it.</li>
 * <li>In the child, {@link dev.multiproc.spi.Transport#connect(ChildEndpoint)} turns the descriptor back into
 *     the child's {@link dev.multiproc.spi.MessageChannel} to the parent.</li>
 * <li>Optionally, {@link dev.multiproc.spi.NativePrimitives}: shared ints, longs and locks implemented on the
 *     medium itself (shared memory atomics, say) instead of by the hub.</li>
 * <li>Optionally, {@link dev.multiproc.spi.RemoteWorkers} from
 *     {@link dev.multiproc.spi.ParentTransport#remoteWorkers()}: workers that connect from other hosts, for pools
 *     built with {@code remoteWorkers(n)}. Their channel is their lifeline: its close is their exit.</li>
 * </ol>
 *
 * <h2>The contract, in one place</h2>
 * <ul>
 * <li>Order and integrity: messages sent on a channel arrive whole, once, in the order sent.</li>
 * <li>Size: a channel accepts messages up to its {@link dev.multiproc.spi.MessageChannel#maxMessageSize()};
 *     {@code send} refuses a larger one with an exception before anything is written, and the receiving side
 *     refuses a frame that claims to be larger by closing the channel with a
 *     {@link dev.multiproc.ProtocolException}.</li>
 * <li>Close: when either side closes, or the process on the other side dies, the other side's handler gets
 *     {@link dev.multiproc.spi.MessageHandler#onClose(Throwable)} exactly once, promptly (within a second for a
 *     killed process), after every message that did arrive.</li>
 * <li>Resources: everything a transport makes for a context is gone when the context's
 *     {@link dev.multiproc.spi.ParentTransport#close()} returns, and is named so that it can be found if the parent
 *     dies first: threads are named {@code multiproc-...}; files, sockets and segments are named
 *     {@code multiproc-...} and contain {@code -PID-}, the parent's pid (the
 *     {@linkplain dev.multiproc.spi.TransportConfig#contextId() context id} begins with it, so
 *     {@code "multiproc-" + contextId} qualifies), in {@code /dev/shm} or {@code java.io.tmpdir} unless the
 *     context's options name another directory. The tck's {@code ResourceContract} looks for leftovers by these
 *     rules (a transport's subclass may name further directories).</li>
 * <li>Threads: {@code send} is called from many threads at once; handler callbacks come from one thread at a
 *     time per channel. Transport threads are daemon threads and are gone when the channel or parent transport
 *     is closed.</li>
 * <li>Standard streams: a child's stdin belongs to core. It carries the attachment's
 *     {@linkplain dev.multiproc.spi.ChildAttachment#secret() secret} first, then stays open to the parent as the
 *     child's lifeline (core exits the child when it reaches end of file); its stderr is inherited. A transport that carries messages over the child's
 *     stdin/stdout says so with {@link dev.multiproc.spi.Transport#usesStandardStreams()}; core then sends the
 *     child's {@code System.out} to the parent as messages, so that user output never corrupts a frame.</li>
 * </ul>
 * The conformance suite, module {@code multiproc-tck}, checks all of this: a transport is done when its subclass
 * of every tck contract passes.
 */
package dev.multiproc.spi;
