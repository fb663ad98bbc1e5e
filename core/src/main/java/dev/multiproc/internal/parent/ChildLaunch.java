package dev.multiproc.internal.parent;

import dev.multiproc.MultiprocException;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a child JVM reaches the parent's code: its class path or module path and its main class, derived once per
 * context from how the parent was launched.
 *
 * <p>In order: an explicit command ({@value #COMMAND_PROPERTY}, or {@code Context.Builder.childCommand}); an
 * explicit class path or module path ({@value #CLASS_PATH_PROPERTY}, {@value #MODULE_PATH_PROPERTY}, or the
 * builder's); else what the parent runs on: the module path and the modules of the boot layer when it was launched
 * with one; the class path ({@code java.class.path}) plus the URLs of every {@link URLClassLoader} between the
 * thread's context class loader (or the one that loaded multiproc) and the system class loader, which covers
 * {@code mvn exec:java}, Surefire without a fork and most plug-in hosts; Spring Boot executable jars on either are
 * replaced by their unpacked copy ({@link BootJarCache}).
 */
public final class ChildLaunch {
    /** System property: the child JVMs' class path (path-separator separated), instead of the derived one. */
    static final String CLASS_PATH_PROPERTY = "multiproc.child.classPath";
    /** System property: the child JVMs' module path; children then run {@code ChildMain} from multiproc's module. */
    static final String MODULE_PATH_PROPERTY = "multiproc.child.modulePath";
    /**
     * System property: the command that starts a JVM with the application's code (space-separated), e.g.
     * {@code /opt/jdk/bin/java -cp /app/lib/*}; multiproc appends its JVM options and the child's main class.
     */
    static final String COMMAND_PROPERTY = "multiproc.child.command";

    private static final String MAIN = "dev.multiproc.internal.child.ChildMain";
    /** Module-system options of the parent's command line that the child needs too, to reach the same code. */
    private static final Set<String> MODULE_OPTIONS = Set.of("--add-opens", "--add-exports", "--add-reads",
            "--patch-module", "--upgrade-module-path", "--enable-native-access");
    /** The launcher's other options whose value is the next argument. */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p",
            "--module-path", "--add-modules", "--limit-modules", "--source");

    /** The command up to the JVM options: java and the path options, or the user's command. */
    private final List<String> command;
    /** The main class, or {@code -m module/class}. */
    private final List<String> main;
    /** The class path to key a class-data-sharing archive by, or null where children get none. */
    private final String archiveClassPath;
    /** What a child can load classes from; null when unknown (an explicit command). */
    private final Set<Path> reachable;
    /** The module path's directories: every jar in them is reachable. */
    private final Set<Path> moduleDirectories;
    /** How the paths were found, for messages. */
    private final String origin;
    private final ClassValue<String> unreachable = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return whyUnreachable(type);
        }
    };

    private ChildLaunch(List<String> command, List<String> main, String archiveClassPath, Set<Path> reachable,
            String origin) {
        this.command = List.copyOf(command);
        this.moduleDirectories = reachable == null ? Set.of()
                : reachable.stream().filter(Files::isDirectory).collect(Collectors.toSet());
        this.main = List.copyOf(main);
        this.archiveClassPath = archiveClassPath;
        this.reachable = reachable;
        this.origin = origin;
    }

    /**
     * @param options the context's explicit settings; each null field falls back to its system property, then to
     *        what the parent runs on
     * @param contextLoader the class loader the application's code comes from (the thread's context class loader
     *        when the context was opened), or null
     * @return how this context's children start
     * @throws MultiprocException if the parent's class path holds a Spring Boot jar that cannot be unpacked
     */
    public static ChildLaunch derive(LaunchOptions options, ClassLoader contextLoader) {
        List<String> explicitCommand = options.command() != null ? options.command()
                : split(System.getProperty(COMMAND_PROPERTY), "\\s+");
        if (explicitCommand != null) {
            return new ChildLaunch(explicitCommand, List.of(MAIN), null, null,
                    "the command " + String.join(" ", explicitCommand));
        }
        List<Path> classPath = options.classPath() != null ? options.classPath()
                : paths(split(System.getProperty(CLASS_PATH_PROPERTY), File.pathSeparator));
        List<Path> modulePath = options.modulePath() != null ? options.modulePath()
                : paths(split(System.getProperty(MODULE_PATH_PROPERTY), File.pathSeparator));
        String origin;
        if (classPath != null) {
            origin = "the class path given by " + (options.classPath() != null ? "Context.Builder.childClassPath"
                    : "-D" + CLASS_PATH_PROPERTY);
        } else {
            classPath = derivedClassPath(contextLoader);
            origin = "the parent's class path and class loaders";
        }
        boolean explicitModules = modulePath != null;
        if (modulePath == null) {
            modulePath = paths(split(System.getProperty("jdk.module.path"), File.pathSeparator));
        }
        List<String> command = new ArrayList<>();
        command.add(ChildLauncher.javaExecutable());
        List<String> main;
        Set<Path> reachable = new LinkedHashSet<>(classPath);
        if (modulePath != null && !modulePath.isEmpty()) {
            command.add("-p");
            command.add(join(modulePath));
            command.add("--add-modules");
            command.add(explicitModules ? "ALL-MODULE-PATH" : bootLayerModules());
            modulePath.forEach(path -> reachable.add(path.toAbsolutePath().normalize()));
            Module core = ChildLaunch.class.getModule();
            main = core.isNamed() || explicitModules
                    ? List.of("-m", (core.isNamed() ? core.getName() : "dev.multiproc") + "/" + MAIN)
                    : List.of(MAIN);
            origin = (explicitModules ? "the module path given" : "the parent's module path") + " and " + origin;
        } else {
            main = List.of(MAIN);
        }
        command.addAll(parentModuleOptions());
        String archiveClassPath = null;
        if (!classPath.isEmpty()) {
            command.add("-cp");
            command.add(join(classPath));
            archiveClassPath = modulePath == null || modulePath.isEmpty() ? join(classPath) : null;
        }
        return new ChildLaunch(command, main, archiveClassPath, reachable, origin);
    }

    /** The explicit settings of a context; null fields are not set. */
    public record LaunchOptions(List<Path> classPath, List<Path> modulePath, List<String> command) {
        public static final LaunchOptions NONE = new LaunchOptions(null, null, null);
    }

    /** @return java and the path options, or the explicit command */
    List<String> command() {
        return command;
    }

    /** @return the main class, or {@code -m module/class} */
    List<String> main() {
        return main;
    }

    /** @return the class path to key a class-data-sharing archive by, or null where children get none */
    String archiveClassPath() {
        return archiveClassPath;
    }

    /**
     * Refuses code that a child JVM could not load, before it is sent.
     *
     * @param code a task or process target
     * @throws MultiprocException naming the class, where it came from, and what to do
     */
    public void checkReachable(Object code) {
        Class<?> type = code.getClass();
        if (type.isHidden() || type.isSynthetic()) {
            // a lambda or method reference: its code lives in the class that wrote it
            type = type.getNestHost();
        }
        String reason = unreachable.get(type);
        if (reason != null) {
            throw new MultiprocException(reason);
        }
    }

    private String whyUnreachable(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        if (reachable == null || loader == null || loader == ClassLoader.getPlatformClassLoader()) {
            return null;
        }
        CodeSource source = type.getProtectionDomain().getCodeSource();
        URL location = source == null ? null : source.getLocation();
        Path file = location == null ? null : outerFile(location);
        if (file == null || file.toString().endsWith(".java")) {
            // jshell defines classes with no location; the source launcher gives the .java file's
            return "Class " + type.getName() + " was defined in memory" + (location == null ? ""
                    : " (at " + location + ")") + ", by " + loader.getClass().getName() + " (jshell, a single-file"
                    + " source launch such as 'java Main.java', or a class generated at run time), so a child JVM"
                    + " cannot load it. Compile it into a jar or a directory and put that on the class path (jshell:"
                    + " --class-path; a source file: compile it with javac first).";
        }
        if (reachable.contains(file) || (file.getParent() != null && moduleDirectories.contains(file.getParent()))
                || BootJarCache.isBootJar(file)) {
            return null;
        }
        return "Class " + type.getName() + " comes from " + file + ", which child JVMs cannot see: their code comes"
                + " from " + origin + " (" + reachable.stream().map(Path::toString).collect(Collectors.joining(
                        File.pathSeparator)) + "). Open the context with the thread context class loader that"
                + " loaded it, or name the children's class path: Multiproc.contextBuilder().childClassPath(...) or"
                + " -D" + CLASS_PATH_PROPERTY + "=...";
    }

    // ---- derivation ----

    private static List<Path> derivedClassPath(ClassLoader contextLoader) {
        Set<Path> entries = new LinkedHashSet<>();
        Set<Path> bootJars = new LinkedHashSet<>();
        List<Path> system = paths(split(System.getProperty("java.class.path"), File.pathSeparator));
        if (system != null) {
            // java -jar app.jar makes the class path that one jar; opening every jar of a long class path to read
            // its manifest would cost each context tens of milliseconds
            system.forEach(path -> add(path, system.size() == 1, entries, bootJars));
        }
        for (ClassLoader loader : new ClassLoader[] {contextLoader, ChildLaunch.class.getClassLoader()}) {
            Deque<URLClassLoader> chain = new ArrayDeque<>();
            for (ClassLoader current = loader; current != null && current != ClassLoader.getSystemClassLoader()
                    && current != ClassLoader.getPlatformClassLoader(); current = current.getParent()) {
                if (current instanceof URLClassLoader urls) {
                    chain.addFirst(urls); // parents first: the order in which they are searched
                }
            }
            for (URLClassLoader urls : chain) {
                for (URL url : urls.getURLs()) {
                    Path file = outerFile(url);
                    if (file != null) {
                        add(file, !"file".equals(url.getProtocol()), entries, bootJars);
                    }
                }
            }
        }
        return List.copyOf(entries);
    }

    private static void add(Path path, boolean mayBeBootJar, Set<Path> entries, Set<Path> bootJars) {
        Path absolute = path.toAbsolutePath().normalize();
        if (bootJars.contains(absolute) || entries.contains(absolute)) {
            return;
        }
        if (mayBeBootJar && BootJarCache.isBootJar(absolute)) {
            bootJars.add(absolute);
            try {
                entries.addAll(BootJarCache.classPath(absolute));
            } catch (IOException e) {
                throw new MultiprocException("Cannot unpack the Spring Boot jar " + absolute + " for child JVMs: " + e
                        + ". Set -D" + BootJarCache.DIR_PROPERTY + " to a writable directory, or name the children's"
                        + " class path with -D" + CLASS_PATH_PROPERTY + ".", e);
            }
            return;
        }
        if (Files.exists(absolute)) {
            entries.add(absolute);
        }
    }

    /**
     * @return the file a class path URL reads from: a directory or jar for {@code file:}, the outermost jar for
     *         {@code jar:file:...!/...} and Spring Boot's {@code jar:nested:/app.jar/!BOOT-INF/...}; null for
     *         anything else
     */
    static Path outerFile(URL url) {
        try {
            String spec = url.toString();
            while (spec.startsWith("jar:")) {
                spec = spec.substring(4);
                int bang = spec.indexOf("!/");
                if (bang >= 0) {
                    spec = spec.substring(0, bang);
                }
            }
            if (spec.startsWith("nested:")) {
                // Spring Boot 3.2+: nested:/path/app.jar/!BOOT-INF/lib/x.jar
                String path = spec.substring("nested:".length());
                int inner = path.indexOf("/!");
                return Paths.get(inner >= 0 ? path.substring(0, inner) : path).toAbsolutePath().normalize();
            }
            if (spec.startsWith("file:")) {
                return Paths.get(new URI(spec)).toAbsolutePath().normalize();
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    /** @return every module of the boot layer, so that the child resolves the same modules as the parent */
    private static String bootLayerModules() {
        return ModuleLayer.boot().modules().stream().map(Module::getName).sorted().collect(Collectors.joining(","));
    }

    /** @return the parent's {@code --add-opens} and kin, from its own command line */
    private static List<String> parentModuleOptions() {
        String[] arguments = ProcessHandle.current().info().arguments().orElse(new String[0]);
        List<String> copied = new ArrayList<>();
        for (int i = 0; i < arguments.length; i++) {
            String argument = arguments[i];
            int equals = argument.indexOf('=');
            String name = equals > 0 ? argument.substring(0, equals) : argument;
            if (MODULE_OPTIONS.contains(name)) {
                if (equals > 0) {
                    copied.add(argument);
                } else if (i + 1 < arguments.length) {
                    copied.add(argument);
                    copied.add(arguments[++i]);
                }
            } else if (OPTIONS_WITH_VALUE.contains(argument)) {
                i++;
            } else if (!argument.startsWith("-") || argument.equals("-jar") || argument.equals("-m")
                    || argument.equals("--module")) {
                break; // the main class, jar or module: what follows is the application's arguments
            }
        }
        return copied;
    }

    private static List<String> split(String value, String separator) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return Arrays.stream(value.trim().split(separator)).filter(s -> !s.isEmpty()).toList();
    }

    private static List<Path> paths(List<String> entries) {
        return entries == null ? null : entries.stream().map(e -> Paths.get(e).toAbsolutePath().normalize()).toList();
    }

    private static String join(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }
}
