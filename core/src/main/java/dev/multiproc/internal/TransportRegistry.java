package dev.multiproc.internal;

import dev.multiproc.MultiprocException;
import dev.multiproc.spi.Transport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/** Finds transports on the class path with {@link ServiceLoader}. */
public final class TransportRegistry {
    /** The transports multiproc ships, to explain a fat jar whose services files were not merged. */
    private static final List<String> BUILT_IN = List.of("dev.multiproc.transport.pipe.PipeTransport",
            "dev.multiproc.transport.socket.SocketTransport", "dev.multiproc.transport.shm.ShmTransport");

    private TransportRegistry() {
    }

    /** The last scan, and the class loader it was made with. */
    private static volatile Found found;
    /** In a child, the transport it runs; else null. */
    private static volatile Transport childTransport;

    private record Found(ClassLoader loader, List<Transport> transports) {
    }

    /** @return every transport on the class path, highest priority first (scanned once per class loader) */
    static List<Transport> all() {
        ClassLoader loader = loader();
        Found last = found;
        if (last != null && last.loader() == loader) {
            return last.transports();
        }
        List<Transport> transports = new ArrayList<>();
        for (Transport transport : ServiceLoader.load(Transport.class, loader)) {
            transports.add(transport);
        }
        transports.sort(Comparator.comparingInt(Transport::priority).reversed().thenComparing(Transport::name));
        found = new Found(loader, List.copyOf(transports));
        return found.transports();
    }

    /**
     * The transport class a child of this transport runs: the transport's own if it is registered; else the
     * registered one of the same name (a parent-side wrapper, as some tests use, has children that run the
     * ordinary transport, as they did when children chose by name); else its own, which the child then makes
     * directly.
     *
     * @param transport a context's transport
     * @return the class name for the child's command line
     */
    public static String childClassName(Transport transport) {
        List<Transport> registered = all();
        for (Transport candidate : registered) {
            if (candidate.getClass() == transport.getClass()) {
                return candidate.getClass().getName();
            }
        }
        for (Transport candidate : registered) {
            if (candidate.name().equals(transport.name())) {
                return candidate.getClass().getName();
            }
        }
        return transport.getClass().getName();
    }

    /** @return the names of the transports on the class path, highest priority first */
    public static List<String> names() {
        return all().stream().map(Transport::name).toList();
    }

    /**
     * @param name a transport name, or null/blank for the default
     * @return the transport
     * @throws MultiprocException if there is no such transport, or none at all
     */
    public static Transport select(String name) {
        List<Transport> all = all();
        if (all.isEmpty()) {
            throw new MultiprocException("No multiproc transport on the class path. Add one, for example the"
                    + " Maven dependency dev.multiproc:multiproc-transport-pipe." + unregistered(all));
        }
        if (name == null || name.isBlank()) {
            return all.get(0);
        }
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (Transport transport : all) {
            if (transport.name().equals(wanted)) {
                return transport;
            }
        }
        throw new MultiprocException("Unknown multiproc transport '" + name + "'. Available on this class path: "
                + names() + ". Check -D" + dev.multiproc.Multiproc.TRANSPORT_PROPERTY
                + " or add the module of the transport you want (multiproc-transport-" + wanted + ")."
                + unregistered(all));
    }

    /**
     * The transport a child runs: the class its parent named, made directly (no scan of every jar's services file,
     * no other transport loaded; most of a child's start-up is such work), or through {@link ServiceLoader} where
     * the class is not accessible to core (a named module that does not export its package).
     *
     * @param className the transport's class, from the parent
     * @return the transport
     * @throws MultiprocException if this child cannot load that transport
     */
    public static Transport forChild(String className) {
        Transport made = null;
        try {
            Class<?> type = Class.forName(className, true, loader());
            if (Transport.class.isAssignableFrom(type)) {
                made = (Transport) type.getConstructor().newInstance();
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // not ours to make directly: a service provider in a named module, for example
        }
        if (made == null) {
            made = ServiceLoader.load(Transport.class, loader()).stream()
                    .filter(provider -> provider.type().getName().equals(className))
                    .findFirst().map(ServiceLoader.Provider::get)
                    .orElseThrow(() -> new MultiprocException("This child cannot load the transport " + className
                            + " that its parent uses: the child's class path or module path lacks it, or it has no"
                            + " public no-argument constructor"));
        }
        childTransport = made;
        return made;
    }

    /**
     * A transport by name, for work a transport does outside a context (attaching a shared buffer by name): in a
     * child, its own transport when the name is its own, without scanning the class path for the others.
     *
     * @param name the transport's name
     * @return the transport
     * @throws MultiprocException as {@link #select} does
     */
    public static Transport named(String name) {
        Transport own = childTransport;
        return own != null && own.name().equals(name) ? own : select(name);
    }

    /**
     * The usual cause of a missing transport in a fat jar: the shade plugin kept one module's
     * {@code META-INF/services} file and dropped the others', so a transport's classes are there but not
     * registered.
     *
     * @return advice naming the built-in transports whose classes are present but not registered, or ""
     */
    private static String unregistered(List<Transport> registered) {
        List<String> present = new ArrayList<>();
        for (String builtIn : BUILT_IN) {
            boolean isRegistered = registered.stream().anyMatch(t -> t.getClass().getName().equals(builtIn));
            if (!isRegistered && loadable(builtIn)) {
                present.add(builtIn);
            }
        }
        if (present.isEmpty()) {
            return "";
        }
        return " The classes of " + present + " are on the class path but not registered in"
                + " META-INF/services/" + Transport.class.getName() + ": a jar built with maven-shade-plugin needs"
                + " <transformer implementation=\"org.apache.maven.plugins.shade.resource.ServicesResourceTransformer\"/>"
                + " (Gradle's shadow plugin: mergeServiceFiles()), so that every module's services file is merged.";
    }

    private static boolean loadable(String className) {
        try {
            Class.forName(className, false, loader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static ClassLoader loader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : TransportRegistry.class.getClassLoader();
    }
}
