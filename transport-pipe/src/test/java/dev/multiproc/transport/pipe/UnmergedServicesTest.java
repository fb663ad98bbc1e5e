package dev.multiproc.transport.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fat jar built without merging {@code META-INF/services} holds a transport's classes but not its registration:
 * the error names the transformer that fixes it. Reproduced with this module's classes copied without their
 * services file, in a class loader of their own.
 */
class UnmergedServicesTest {
    @TempDir
    Path stripped;

    @Test
    void transportWhoseServicesFileWasDroppedIsNamedWithTheFix() throws Exception {
        Path pipeClasses = Path.of(PipeTransport.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(pipeClasses)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = stripped.resolve(pipeClasses.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (!file.toString().contains("META-INF" + File.separator + "services")) {
                    Files.copy(file, target);
                }
            }
        }
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath().normalize();
            urls.add((path.equals(pipeClasses.toAbsolutePath().normalize()) ? stripped : path).toUri().toURL());
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader isolated = new URLClassLoader(urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            thread.setContextClassLoader(isolated);
            Class<?> multiproc = Class.forName("dev.multiproc.Multiproc", true, isolated);
            Throwable thrown = null;
            try {
                multiproc.getMethod("context", String.class).invoke(null, "pipe");
            } catch (InvocationTargetException e) {
                thrown = e.getCause();
            }
            assertTrue(thrown != null, "a context opened without a registered transport");
            assertEquals("dev.multiproc.MultiprocException", thrown.getClass().getName());
            String message = thrown.getMessage();
            assertTrue(message.contains(PipeTransport.class.getName()), message);
            assertTrue(message.contains("ServicesResourceTransformer"), message);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
