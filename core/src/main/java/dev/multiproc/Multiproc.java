package dev.multiproc;

import dev.multiproc.internal.ContextImpl;
import dev.multiproc.internal.TransportRegistry;
import dev.multiproc.internal.child.ChildRuntime;
import dev.multiproc.internal.net.NetClient;
import dev.multiproc.internal.net.NetListener;
import dev.multiproc.internal.parent.ChildLauncher;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The entry point: creates {@link Context}s.
 *
 * <p>Which transport a context uses: the one named by {@code Multiproc.context(name)}; else the one named by the
 * system property {@code multiproc.transport}; else the only transport on the class path; else, when several are,
 * the one with the highest {@linkplain dev.multiproc.spi.Transport#priority() priority}. An unknown name, or no
 * transport at all, gives a {@link MultiprocException} that lists the transports available.
 */
public final class Multiproc {
    /** The system property that names the transport to use: {@value}. */
    public static final String TRANSPORT_PROPERTY = "multiproc.transport";

    private Multiproc() {
    }

    /**
     * Opens a context on the default transport (see the class comment).
     *
     * @return a new context; close it to stop its children and release its primitives
     * @throws MultiprocException if no transport is available, or the one named by {@code multiproc.transport}
     *         is not
     */
    public static Context context() {
        return ContextImpl.open(TransportRegistry.select(System.getProperty(TRANSPORT_PROPERTY)));
    }

    /**
     * Opens a context on the named transport.
     *
     * @param transport a transport name such as {@code "pipe"}, {@code "socket"} or {@code "shm"}
     * @return a new context; close it to stop its children and release its primitives
     * @throws MultiprocException if no transport of that name is on the class path; the message lists those that
     *         are
     */
    public static Context context(String transport) {
        if (transport == null || transport.isBlank()) {
            throw new IllegalArgumentException("transport name must not be empty; available: "
                    + TransportRegistry.names());
        }
        return ContextImpl.open(TransportRegistry.select(transport));
    }

    /**
     * @return a builder for a context with explicit options: the transport, and where child JVMs find the
     *         application's code when multiproc cannot derive it (see docs/launching.md)
     */
    public static Context.Builder contextBuilder() {
        return new dev.multiproc.internal.ContextBuilderImpl();
    }

    /**
     * @return the names of the transports on the class path, highest priority first
     */
    public static List<String> availableTransports() {
        return TransportRegistry.names();
    }

    /**
     * @return true in a process that multiproc started (a pool worker or a {@link ChildProcess})
     */
    public static boolean isChild() {
        return ChildRuntime.current() != null;
    }

    /**
     * Who this process is: Python's {@code current_process()}. In the program's own JVM, a {@link ProcessInfo} named
     * {@value ProcessInfo#MAIN_NAME} with role {@link ProcessInfo.Role#MAIN MAIN}; in a {@link ChildProcess}, its
     * name (the one its parent's {@link ChildProcess#name()} gives) with role {@link ProcessInfo.Role#PROCESS
     * PROCESS}; in a pool worker, the worker's name ({@code pool-1-worker-2}) with role
     * {@link ProcessInfo.Role#POOL_WORKER POOL_WORKER}. The pid is always this JVM's. Callable from any thread.
     *
     * @return a description of this process
     */
    public static ProcessInfo currentProcess() {
        long pid = ProcessHandle.current().pid();
        ChildRuntime runtime = ChildRuntime.current();
        if (runtime == null) {
            return new ProcessInfo(ProcessInfo.MAIN_NAME, pid, ProcessInfo.Role.MAIN);
        }
        String name = runtime.name();
        // the name comes with the parent's Start, before any of the application's code runs here
        return new ProcessInfo(name != null ? name : "child-" + pid, pid,
                runtime.isWorker() ? ProcessInfo.Role.POOL_WORKER : ProcessInfo.Role.PROCESS);
    }

    /**
     * The process that started this one: Python's {@code parent_process()}. Empty in a process multiproc did not
     * start; in a child process or a pool worker, the process whose {@link Context} started it, with its name,
     * pid and whether it is alive (see {@link ParentProcess}). A child of a child has the child for its parent.
     * Callable from any thread.
     *
     * @return this process's parent, or empty in the main process
     */
    public static Optional<ParentProcess> parentProcess() {
        ChildRuntime runtime = ChildRuntime.current();
        return runtime == null ? Optional.empty() : Optional.ofNullable(runtime.parent());
    }

    /**
     * The child processes of this process that are running: Python's {@code active_children()}. Every
     * {@link ChildProcess} started from any open {@link Context} of this JVM, in the order they were started, from
     * its {@link ChildProcess#start()} until it has exited ({@link ChildProcess#isAlive()}): one that has
     * finished, or was killed, is not listed once its exit is known. Nothing needs reaping: the JDK collects every
     * child's exit status (Python's {@code active_children()} joins the finished ones as a side effect).
     *
     * <p>Pool workers are not listed, unlike in Python, where they are {@code Process} objects too: they belong to
     * their pool, which replaces a worker that dies and retries its work, so a worker killed or joined through such a
     * list would only disturb it. Count them with {@link Pool#stats()}, or with {@link Context#stats()}, whose
     * {@code childrenAlive()} counts processes and workers together.
     *
     * @return a new immutable list of the running children; empty if there are none
     */
    public static List<ChildProcess> activeChildren() {
        return ContextImpl.liveProcesses();
    }

    /**
     * Attaches a shared buffer by its {@linkplain SharedBuffer#name() name}: Python's
     * {@code SharedMemory(name=...)}. A buffer of the {@code shm} transport can be attached by any process of the
     * same user, a child of its context or an unrelated JVM, for as long as its context is open; one kept in a
     * parent's hub (the other transports) only by the processes of its context.
     *
     * @param name the name the buffer's {@link SharedBuffer#name()} returned
     * @return the buffer, with its lock
     * @throws IllegalArgumentException if {@code name} is not a shared buffer's name
     * @throws java.io.UncheckedIOException if the buffer does not exist (its context has closed, say)
     * @throws MultiprocException if the buffer cannot be reached from this process, or its transport is not on
     *         this process's class path
     */
    public static SharedBuffer attachBuffer(String name) {
        return dev.multiproc.internal.buffer.SharedBuffers.attach(java.util.Objects.requireNonNull(name, "name"));
    }

    /**
     * The command that starts a main class in a new JVM like this one, for processes that a {@link Context} does not
     * start itself: a {@code RemoteWorker} on this host, a tool, a test's second parent. It is this JVM's
     * {@code java}, the options that keep newer JDKs from warning about what multiproc's dependencies do
     * ({@code --sun-misc-unsafe-memory-access=allow} on JDK 23+ for protobuf, {@code --enable-native-access=ALL-UNNAMED}
     * on JDK 22+ for Netty's epoll), the given options, this JVM's class path, the class and its arguments. Start it
     * with {@link ProcessBuilder}; it has no lifeline to this process.
     *
     * @param mainClass the class with the {@code main} method, on this JVM's class path
     * @param jvmOptions options before the class, for example {@code -Dmultiproc.transport=pipe}
     * @param args the program's arguments
     * @return the command, a new mutable list
     */
    public static List<String> javaCommand(String mainClass, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ChildLauncher.javaExecutable());
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(ChildLauncher.quietStartOptions());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Listens for connections from other programs at {@code address}: Python's
     * {@code multiprocessing.connection.Listener(address, authkey=key)}. Clients connect with
     * {@link #connect(SocketAddress, byte[])} and the same key, from any JVM; both ends must prove with HMAC-SHA256
     * that they know the key before anything they send is read. The connections carry messages in clear: on a network
     * that others can read, use a Unix domain socket, loopback, or a tunnel (see the user guide).
     *
     * <p>Needs no {@link Context}. Options (backlog, largest message, handshake timeout) are set with
     * {@link #listenerBuilder(SocketAddress, byte[])}.
     *
     * @param address where to listen: an {@link java.net.InetSocketAddress} for TCP (port 0 picks a free port; see
     *        {@link Listener#address()}), or a {@link java.net.UnixDomainSocketAddress}, whose file must not exist
     * @param authKey the secret both programs know; not empty (32 random bytes, say). Copied.
     * @return the listener, accepting; close it to stop
     * @throws IOException if the address cannot be bound
     * @throws IllegalArgumentException if the key is empty, or the address is of another kind
     */
    public static Listener listen(SocketAddress address, byte[] authKey) throws IOException {
        return listenerBuilder(address, authKey).open();
    }

    /**
     * A builder for a listener with options: {@link Listener.Builder#backlog(int)},
     * {@link Listener.Builder#maxMessageSize(int)}, {@link Listener.Builder#handshakeTimeout(java.time.Duration)}.
     *
     * @param address where to listen (see {@link #listen(SocketAddress, byte[])})
     * @param authKey the secret both programs know; not empty. Copied.
     * @return the builder; {@link Listener.Builder#open()} starts the listener
     * @throws IllegalArgumentException if the key is empty
     */
    public static Listener.Builder listenerBuilder(SocketAddress address, byte[] authKey) {
        return new NetListener.Builder(address, authKey);
    }

    /**
     * Connects to a {@link Listener}, in this JVM or another, on this host or another: Python's
     * {@code multiprocessing.connection.Client(address, authkey=key)}. Both ends prove with HMAC-SHA256 that they
     * know the key before any message is read; connecting and authenticating together may take at most 10 s.
     *
     * <p>The connection is a socket of this process: it cannot be passed to a child (serializing it throws
     * {@link java.io.NotSerializableException}); a child connects by itself. Needs no {@link Context}. Messages up to
     * 256 MiB are received; a message larger than the listener accepts is refused by {@code send}.
     *
     * @param address the listener's {@link Listener#address()}: an {@link java.net.InetSocketAddress} or a
     *        {@link java.net.UnixDomainSocketAddress}
     * @param authKey the listener's key; not empty
     * @param <T> the type of the objects the connection carries
     * @return the connection, authenticated
     * @throws AuthenticationException if the listener has another key (it is told so, and refuses this client)
     * @throws ProtocolException if the process at the address is not a multiproc listener
     * @throws IOException if the address cannot be reached (refused, unknown host), or the listener did not
     *         complete the handshake in time ({@link java.net.SocketTimeoutException})
     * @throws IllegalArgumentException if the key is empty, or the address is of another kind
     */
    public static <T> Connection<T> connect(SocketAddress address, byte[] authKey) throws IOException {
        return NetClient.connect(address, authKey);
    }
}
