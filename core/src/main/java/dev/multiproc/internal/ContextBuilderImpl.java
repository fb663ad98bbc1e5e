package dev.multiproc.internal;

import dev.multiproc.Context;
import dev.multiproc.ContextOption;
import dev.multiproc.Multiproc;
import dev.multiproc.internal.parent.ChildLaunch;
import dev.multiproc.spi.Transport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The {@link Context.Builder}. */
public final class ContextBuilderImpl implements Context.Builder {
    private String transport;
    private Transport transportInstance;
    private List<Path> classPath;
    private List<Path> modulePath;
    private List<String> command;
    private int maxMessageSize;
    private final Map<String, Object> options = new LinkedHashMap<>();

    /** A builder with every option at its default. */
    public ContextBuilderImpl() {
    }

    @Override
    public Context.Builder transport(String transport) {
        this.transport = transport;
        this.transportInstance = null;
        return this;
    }

    @Override
    public Context.Builder transport(Transport transport) {
        this.transportInstance = Objects.requireNonNull(transport, "transport");
        this.transport = null;
        return this;
    }

    @Override
    public Context.Builder childClassPath(List<Path> entries) {
        classPath = nonEmpty(entries, "childClassPath").stream().map(p -> p.toAbsolutePath().normalize()).toList();
        return this;
    }

    @Override
    public Context.Builder childModulePath(List<Path> entries) {
        modulePath = nonEmpty(entries, "childModulePath").stream().map(p -> p.toAbsolutePath().normalize()).toList();
        return this;
    }

    @Override
    public Context.Builder childCommand(List<String> command) {
        this.command = List.copyOf(nonEmpty(command, "childCommand"));
        return this;
    }

    @Override
    public Context.Builder maxMessageSize(int bytes) {
        if (bytes < Protocol.MIN_MAX_MESSAGE_SIZE) {
            throw new IllegalArgumentException("maxMessageSize must be at least " + Protocol.MIN_MAX_MESSAGE_SIZE
                    + " bytes: " + bytes);
        }
        this.maxMessageSize = bytes;
        return this;
    }

    @Override
    public <T> Context.Builder option(ContextOption<T> option, T value) {
        Objects.requireNonNull(option, "option");
        options.put(option.name(), option.check(value));
        return this;
    }

    private static <T> List<T> nonEmpty(List<T> entries, String what) {
        Objects.requireNonNull(entries, what);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return entries;
    }

    @Override
    public Context build() {
        String name = transport != null ? transport : System.getProperty(Multiproc.TRANSPORT_PROPERTY);
        return ContextImpl.open(transportInstance != null ? transportInstance : TransportRegistry.select(name),
                new ChildLaunch.LaunchOptions(classPath, modulePath, command), maxMessageSize, options);
    }
}
