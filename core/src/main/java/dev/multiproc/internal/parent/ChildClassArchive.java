package dev.multiproc.internal.parent;

import dev.multiproc.internal.handle.HubHandle;
import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import javax.management.ObjectName;

/**
 * A class-data-sharing archive of the framework's classes for child JVMs: most of a child's start-up is loading and
 * verifying multiproc's classes (protobuf's runtime among them, relocated into core), which an archive maps
 * ready-made instead.
 *
 * <p>The archive is made once per class path, JDK and child flags, in the background: the first child launched
 * without one starts an extra JVM (this class's {@link #main}) that loads those classes, dumps them with the JDK's
 * {@code VM.cds dynamic_dump} command, and moves the file into place. Children started afterwards, by this or any
 * later program with the same class path, JDK and flags, get {@code -XX:SharedArchiveFile}. Archives live in
 * {@code <java.io.tmpdir>/multiproc-cds-<user>} (mode 0700; another user's directory is never used, since an archive
 * is code), or in {@value #DIR_PROPERTY}; {@value #PROPERTY}{@code =off} turns the whole thing off.
 *
 * <p>The JDK archives only classes from jar files, so a class path with a directory (a build's
 * {@code target/classes}) gets no archive. A stale or damaged archive costs nothing but the speed-up: the JVM checks
 * it and silently starts without it.
 */
final class ChildClassArchive {
    /** System property: {@code auto} (the default) or {@code off}. */
    static final String PROPERTY = "multiproc.cds";
    /** System property: the directory for archives. */
    static final String DIR_PROPERTY = "multiproc.cds.dir";

    private static final System.Logger LOG = System.getLogger("dev.multiproc.cds");
    /** An archiver that has not finished after this long is taken for dead, and its lock for stale. */
    private static final long STALE_MILLIS = TimeUnit.MINUTES.toMillis(10);
    private static final Set<String> STARTED = ConcurrentHashMap.newKeySet();

    private ChildClassArchive() {
    }

    /**
     * @param jvmOptions the child's JVM options
     * @param classPath the child's class path
     * @return the options that make a child use the archive: none if there is none (yet), or archiving is off or
     *         impossible here
     */
    static List<String> options(List<String> jvmOptions, String classPath) {
        try {
            if ("off".equalsIgnoreCase(System.getProperty(PROPERTY, "auto").trim())
                    || jvmOptions.stream().anyMatch(o -> o.startsWith("-Xshare") || o.contains("SharedArchiveFile")
                            || o.contains("ArchiveClassesAtExit"))) {
                return List.of();
            }
            String key = key(jvmOptions, classPath);
            if (key == null) {
                return List.of();
            }
            Path directory = PrivateDirectory.get(DIR_PROPERTY, "multiproc-cds-");
            Path archive = directory.resolve(key + ".jsa");
            if (Files.isRegularFile(archive) && Files.size(archive) > 0) {
                if (STARTED.add(key)) {
                    // once per JVM: marks the archive as in use, so that the weekly clean-up keeps it
                    Files.setLastModifiedTime(archive, FileTime.fromMillis(System.currentTimeMillis()));
                }
                return List.of("-XX:SharedArchiveFile=" + archive);
            }
            if (STARTED.add(key)) {
                startArchiver(directory, key, archive, jvmOptions, classPath);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "no class-data-sharing archive for children: " + e);
        }
        return List.of();
    }

    /** @return a digest of everything the archive depends on, or null if the class path holds a non-jar */
    private static String key(List<String> jvmOptions, String classPath) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            return null;
        }
        StringBuilder input = new StringBuilder();
        input.append(System.getProperty("java.home")).append('\n').append(System.getProperty("java.vm.version"))
                .append('\n').append(String.join(" ", jvmOptions)).append('\n');
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path jar = Paths.get(entry).toAbsolutePath();
            if (!Files.isRegularFile(jar) || !entry.endsWith(".jar")) {
                LOG.log(Level.DEBUG, "class path entry " + entry + " is not a jar: children start without a"
                        + " class-data-sharing archive");
                return null;
            }
            input.append(jar).append(' ').append(Files.size(jar)).append(' ')
                    .append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
        }
        return HexFormat.of().formatHex(digest.digest(input.toString().getBytes(StandardCharsets.UTF_8)), 0, 12);
    }

    private static void startArchiver(Path directory, String key, Path archive, List<String> jvmOptions,
            String classPath) throws IOException {
        Path lock = directory.resolve(key + ".lock");
        try {
            Files.createFile(lock);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            long age = System.currentTimeMillis() - Files.getLastModifiedTime(lock).toMillis();
            if (age < STALE_MILLIS) {
                return; // another program is making it right now
            }
            Files.setLastModifiedTime(lock, FileTime.fromMillis(System.currentTimeMillis()));
        }
        deleteOldArchives(directory);
        List<String> command = new ArrayList<>();
        command.add(ChildLauncher.javaExecutable());
        command.addAll(jvmOptions);
        command.add("-XX:+RecordDynamicDumpInfo");
        command.add("-cp");
        command.add(classPath);
        command.add(ChildClassArchive.class.getName());
        command.add(archive.toString());
        command.add(lock.toString());
        Process archiver = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        archiver.getOutputStream().close();
        LOG.log(Level.DEBUG, "making a class-data-sharing archive for children at " + archive + " (pid "
                + archiver.pid() + ")");
    }

    /**
     * Archives of other class paths pile up as jars are rebuilt: those not used (modified) for a week go. An archive
     * in use is touched each time a child is given it, so only abandoned ones are old.
     */
    private static void deleteOldArchives(Path directory) {
        long cutoff = System.currentTimeMillis() - TimeUnit.DAYS.toMillis(7);
        try (java.nio.file.DirectoryStream<Path> archives = Files.newDirectoryStream(directory, "*.jsa")) {
            for (Path archive : archives) {
                if (Files.getLastModifiedTime(archive).toMillis() < cutoff) {
                    Files.deleteIfExists(archive);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "could not clean old archives in " + directory + ": " + e);
        }
    }

    /**
     * The archiver: loads the classes a child needs, dumps them, and moves the archive into place.
     *
     * @param args the archive's path and the lock file's
     * @throws Exception if anything fails (the lock then stays until it is stale, and no archive appears)
     */
    public static void main(String[] args) throws Exception {
        Path archive = Paths.get(args[0]);
        Path lock = Paths.get(args[1]);
        try {
            ClassLoader loader = ChildClassArchive.class.getClassLoader();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                try (JarFile jar = new JarFile(entry)) {
                    Enumeration<JarEntry> entries = jar.entries();
                    while (entries.hasMoreElements()) {
                        String name = entries.nextElement().getName();
                        // protobuf's runtime is among them: the core jar carries it relocated under dev/multiproc/.
                        // An application's own com/google/protobuf is not ours to preload (and shading would
                        // rewrite that literal into the relocated package anyway).
                        if (name.endsWith(".class") && !name.contains("-") && name.startsWith("dev/multiproc/")
                                && !name.startsWith("dev/multiproc/examples/")) {
                            load(name.substring(0, name.length() - 6).replace('/', '.'), loader);
                        }
                    }
                }
            }
            // what every child does: decode a task (a serialized lambda) and encode a result
            dev.multiproc.Task<Integer, Integer> task = x -> x + 1;
            Object decoded = HubHandle.codec().decode(HubHandle.codec().encode(task));
            HubHandle.codec().decode(HubHandle.codec().encode(List.of(decoded.getClass().getName(), 1, 2L)));
            Path partial = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid());
            ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmCds",
                    new Object[] {new String[] {"dynamic_dump", partial.toString()}},
                    new String[] {String[].class.getName()});
            if (Files.size(partial) > 0) {
                Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(lock);
        }
    }

    private static void load(String name, ClassLoader loader) {
        try {
            // initialised, hence linked: the JDK archives only linked classes
            Class.forName(name, true, loader);
        } catch (Throwable e) {
            // a class that needs what is not on the class path (an optional dependency): children do not need it
        }
    }
}
