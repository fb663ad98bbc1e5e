package dev.multiproc.internal.parent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spring Boot jars unpacked for children, and the URLs of class loaders mapped to files. */
class BootJarCacheTest {
    @TempDir
    Path directory;

    @AfterEach
    void clearProperty() {
        System.clearProperty(BootJarCache.DIR_PROPERTY);
    }

    private static byte[] jarWith(String entry, String content) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes)) {
            jar.putNextEntry(new JarEntry(entry));
            jar.write(content.getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return bytes.toByteArray();
    }

    /** A jar laid out as spring-boot-maven-plugin's repackage lays it out. */
    private Path bootJar() throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Main-Class", "org.springframework.boot.loader.launch.JarLauncher");
        main.putValue("Start-Class", "app.Main");
        main.putValue("Spring-Boot-Classes", "BOOT-INF/classes/");
        main.putValue("Spring-Boot-Lib", "BOOT-INF/lib/");
        main.putValue("Spring-Boot-Classpath-Index", "BOOT-INF/classpath.idx");
        Path path = directory.resolve("app.jar");
        try (OutputStream out = Files.newOutputStream(path); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            put(jar, "BOOT-INF/classes/app/Main.class", "main".getBytes(StandardCharsets.UTF_8));
            put(jar, "BOOT-INF/lib/zeta.jar", jarWith("z.txt", "z"));
            put(jar, "BOOT-INF/lib/alpha.jar", jarWith("a.txt", "a"));
            put(jar, "BOOT-INF/classpath.idx",
                    "- \"BOOT-INF/lib/zeta.jar\"\n- \"BOOT-INF/lib/alpha.jar\"\n".getBytes(StandardCharsets.UTF_8));
            put(jar, "org/springframework/boot/loader/launch/JarLauncher.class", new byte[] {1});
        }
        return path;
    }

    private static void put(JarOutputStream jar, String name, byte[] content) throws IOException {
        jar.putNextEntry(new JarEntry(name));
        jar.write(content);
        jar.closeEntry();
    }

    @Test
    void bootJarIsUnpackedIntoClassesThenLibrariesInItsIndexOrder() throws IOException {
        System.setProperty(BootJarCache.DIR_PROPERTY, directory.resolve("cache").toString());
        Path jar = bootJar();
        assertTrue(BootJarCache.isBootJar(jar));
        List<Path> classPath = BootJarCache.classPath(jar);
        assertEquals(List.of("classes.jar", "zeta.jar", "alpha.jar"),
                classPath.stream().map(p -> p.getFileName().toString()).toList());
        try (JarFile classes = new JarFile(classPath.get(0).toFile())) {
            assertNotNull(classes.getEntry("app/Main.class"), "the application's classes, re-rooted");
            assertEquals(null, classes.getEntry("org/springframework/boot/loader/launch/JarLauncher.class"));
        }
        for (Path entry : classPath) {
            assertTrue(entry.startsWith(directory.resolve("cache")), entry + " is in the cache");
        }
    }

    @Test
    void theSameContentIsUnpackedOnce() throws IOException {
        System.setProperty(BootJarCache.DIR_PROPERTY, directory.resolve("cache").toString());
        List<Path> first = BootJarCache.classPath(bootJar());
        long modified = Files.getLastModifiedTime(first.get(1)).toMillis();
        Path copy = Files.copy(directory.resolve("app.jar"), directory.resolve("copy-of-app.jar"));
        List<Path> second = BootJarCache.classPath(copy);
        assertEquals(first, second, "a jar of the same content maps to the same copy");
        assertEquals(modified, Files.getLastModifiedTime(second.get(1)).toMillis(), "not unpacked again");
    }

    @Test
    void plainJarIsNoBootJar() throws IOException {
        Path plain = directory.resolve("plain.jar");
        Files.write(plain, jarWith("a.txt", "a"));
        assertFalse(BootJarCache.isBootJar(plain));
    }

    @Test
    void classLoaderUrlsMapToTheFilesTheyReadFrom() throws IOException {
        assertEquals(Path.of("/srv/app.jar"), ChildLaunch.outerFile(
                new URL(null, "jar:nested:/srv/app.jar/!BOOT-INF/lib/x.jar!/", new NoHandler())));
        assertEquals(Path.of("/srv/app.jar"), ChildLaunch.outerFile(
                new URL(null, "jar:file:/srv/app.jar!/BOOT-INF/classes!/", new NoHandler())));
        assertEquals(Path.of("/srv/lib/a b.jar"), ChildLaunch.outerFile(new URL("file:/srv/lib/a%20b.jar")));
        assertEquals(null, ChildLaunch.outerFile(new URL(null, "jshell:REPL.$JShell$1", new NoHandler())));
    }

    /** Lets a URL of any scheme be made, as class loaders make them; it is never opened. */
    private static final class NoHandler extends java.net.URLStreamHandler {
        @Override
        protected java.net.URLConnection openConnection(URL url) {
            throw new UnsupportedOperationException();
        }
    }
}
