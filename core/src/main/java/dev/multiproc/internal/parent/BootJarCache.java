package dev.multiproc.internal.parent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Spring Boot executable jars, made reachable for a plain {@code java -cp}: a child JVM cannot load classes from the
 * jars nested in {@code BOOT-INF/lib} nor from {@code BOOT-INF/classes}, so they are unpacked once, into a cache
 * keyed by the outer jar's content, as plain jars (the application's classes repacked into {@code classes.jar}, so
 * that the whole class path is jars and children get a class-data-sharing archive too).
 *
 * <p>The cache is {@code <java.io.tmpdir>/multiproc-boot-<user>} (mode 0700; another user's directory is never used,
 * since it holds code), or {@value #DIR_PROPERTY}. Each jar's copy is written to a temporary directory and renamed
 * into place, so programs that start at once never see half a copy; copies not used for a week are deleted.
 */
final class BootJarCache {
    /** System property: the directory that holds unpacked Spring Boot jars. */
    static final String DIR_PROPERTY = "multiproc.child.unpackDir";

    private static final System.Logger LOG = System.getLogger("dev.multiproc.launch");
    private static final String LIST = "classpath.list";
    private static final Map<String, List<Path>> UNPACKED = new ConcurrentHashMap<>();

    private BootJarCache() {
    }

    /**
     * @param jar a jar file
     * @return true if it is a Spring Boot executable jar (its manifest names {@code Spring-Boot-Lib})
     */
    static boolean isBootJar(Path jar) {
        return bootAttributes(jar) != null;
    }

    private static Attributes bootAttributes(Path jar) {
        if (!Files.isRegularFile(jar) || (!jar.toString().endsWith(".jar") && !jar.toString().endsWith(".war"))) {
            return null;
        }
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Manifest manifest = file.getManifest();
            Attributes main = manifest == null ? null : manifest.getMainAttributes();
            return main != null && main.getValue("Spring-Boot-Lib") != null ? main : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * @param jar a Spring Boot executable jar
     * @return the class path that holds the same code: the application's classes, then its libraries, in Spring
     *         Boot's class path order
     * @throws IOException if the jar cannot be read or the cache cannot be written
     */
    static List<Path> classPath(Path jar) throws IOException {
        Path absolute = jar.toAbsolutePath().normalize();
        String identity = absolute + "|" + Files.size(absolute) + "|" + Files.getLastModifiedTime(absolute).toMillis();
        List<Path> known = UNPACKED.get(identity);
        if (known != null) {
            return known;
        }
        List<Path> unpacked = unpack(absolute);
        UNPACKED.put(identity, unpacked);
        return unpacked;
    }

    private static List<Path> unpack(Path jar) throws IOException {
        Attributes boot = bootAttributes(jar);
        if (boot == null) {
            throw new IOException(jar + " is not a Spring Boot executable jar");
        }
        Path root = PrivateDirectory.get(DIR_PROPERTY, "multiproc-boot-");
        Path target = root.resolve(contentKey(jar));
        Path list = target.resolve(LIST);
        if (!Files.isRegularFile(list)) {
            deleteUnused(root);
            Path partial = Files.createTempDirectory(root, "partial-");
            try {
                writeCopy(jar, boot, partial);
                try {
                    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                    // another program unpacked the same jar at the same time: use its copy
                }
            } finally {
                deleteTree(partial);
            }
            LOG.log(Level.DEBUG, "unpacked Spring Boot jar " + jar + " into " + target + " for child JVMs");
        }
        Files.setLastModifiedTime(list, FileTime.fromMillis(System.currentTimeMillis()));
        List<Path> classPath = new ArrayList<>();
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                classPath.add(target.resolve(line));
            }
        }
        return List.copyOf(classPath);
    }

    private static void writeCopy(Path jar, Attributes boot, Path into) throws IOException {
        String classes = directoryAttribute(boot, "Spring-Boot-Classes", "BOOT-INF/classes/");
        String lib = directoryAttribute(boot, "Spring-Boot-Lib", "BOOT-INF/lib/");
        String index = boot.getValue("Spring-Boot-Classpath-Index");
        List<String> libraries = new ArrayList<>();
        Files.createDirectories(into.resolve("lib"));
        try (JarFile file = new JarFile(jar.toFile(), false);
                JarOutputStream classesJar = new JarOutputStream(Files.newOutputStream(into.resolve("classes.jar")))) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (name.startsWith(classes) && name.length() > classes.length()) {
                    classesJar.putNextEntry(new JarEntry(name.substring(classes.length())));
                    if (!entry.isDirectory()) {
                        try (InputStream in = file.getInputStream(entry)) {
                            in.transferTo(classesJar);
                        }
                    }
                    classesJar.closeEntry();
                } else if (name.startsWith(lib) && name.endsWith(".jar") && name.indexOf('/', lib.length()) < 0) {
                    String simple = name.substring(lib.length());
                    try (InputStream in = file.getInputStream(entry);
                            OutputStream out = Files.newOutputStream(into.resolve("lib").resolve(simple))) {
                        in.transferTo(out);
                    }
                    libraries.add(simple);
                }
            }
            if (index != null && file.getEntry(index) != null) {
                libraries = ordered(libraries, file, index, lib);
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("classes.jar");
        for (String library : libraries) {
            lines.add("lib/" + library);
        }
        Files.write(into.resolve(LIST), lines, StandardCharsets.UTF_8);
    }

    /** Spring Boot's {@code classpath.idx} gives the order of the libraries: {@code - "BOOT-INF/lib/a.jar"}. */
    private static List<String> ordered(List<String> libraries, JarFile file, String index, String lib)
            throws IOException {
        List<String> ordered = new ArrayList<>();
        String text;
        try (InputStream in = file.getInputStream(file.getEntry(index))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String line : text.split("\n")) {
            String name = line.replace("- ", "").replace("\"", "").trim();
            if (name.startsWith(lib)) {
                name = name.substring(lib.length());
            }
            if (libraries.contains(name) && !ordered.contains(name)) {
                ordered.add(name);
            }
        }
        for (String library : libraries) {
            if (!ordered.contains(library)) {
                ordered.add(library);
            }
        }
        return ordered;
    }

    private static String directoryAttribute(Attributes attributes, String name, String fallback) {
        String value = attributes.getValue(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return value.endsWith("/") ? value : value + "/";
    }

    private static String contentKey(Path jar) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("no SHA-256 in this JDK", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(jar), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 16);
    }

    /** Copies of jars that were rebuilt pile up: those not used for a week go (each use touches its list). */
    private static void deleteUnused(Path root) {
        long cutoff = System.currentTimeMillis() - TimeUnit.DAYS.toMillis(7);
        try (DirectoryStream<Path> copies = Files.newDirectoryStream(root)) {
            for (Path copy : copies) {
                Path list = copy.resolve(LIST);
                boolean stalePartial = copy.getFileName().toString().startsWith("partial-")
                        && Files.getLastModifiedTime(copy).toMillis() < cutoff;
                if (stalePartial
                        || (Files.isRegularFile(list) && Files.getLastModifiedTime(list).toMillis() < cutoff)) {
                    deleteTree(copy);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "could not clean old unpacked jars in " + root + ": " + e);
        }
    }

    private static void deleteTree(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, "could not delete " + p + ": " + e);
                }
            });
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "could not delete " + path + ": " + e);
        }
    }
}
