package dev.multiproc;

import dev.multiproc.internal.ContextImpl;
import dev.multiproc.internal.TransportRegistry;
import dev.multiproc.internal.parent.ChildLauncher;
import java.util.ArrayList;
import java.util.List;

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
        return dev.multiproc.internal.child.ChildRuntime.current() != null;
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
}
