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
    private TransportRegistry() {
    }

    /** @return every transport on the class path, highest priority first */
    static List<Transport> all() {
        List<Transport> found = new ArrayList<>();
        for (Transport transport : ServiceLoader.load(Transport.class, loader())) {
            found.add(transport);
        }
        found.sort(Comparator.comparingInt(Transport::priority).reversed().thenComparing(Transport::name));
        return found;
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
                    + " Maven dependency dev.multiproc:multiproc-transport-pipe.");
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
                + " or add the module of the transport you want (multiproc-transport-" + wanted + ").");
    }

    private static ClassLoader loader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : TransportRegistry.class.getClassLoader();
    }
}
