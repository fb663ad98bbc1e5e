package dev.multiproc.internal.parent;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When children get a class-data-sharing archive, and when they do not. */
class ChildClassArchiveTest {
    @TempDir
    Path directory;

    @AfterEach
    void clear() {
        System.clearProperty(ChildClassArchive.DIR_PROPERTY);
        System.clearProperty(ChildClassArchive.PROPERTY);
    }

    private Path privateDirectory() throws IOException {
        Path archives = directory.resolve("archives");
        Files.createDirectory(archives, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        System.setProperty(ChildClassArchive.DIR_PROPERTY, archives.toString());
        return archives;
    }

    private Path jar() throws IOException {
        return Files.write(directory.resolve("app.jar"), new byte[] {1, 2, 3});
    }

    private static List<Path> files(Path dir, String glob) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().matches(glob)).toList();
        }
    }

    @Test
    void aClassPathWithADirectoryGetsNoArchive() throws IOException {
        Path archives = privateDirectory();
        assertEquals(List.of(), ChildClassArchive.options(List.of("-XX:+UseSerialGC"), directory.toString()));
        assertEquals(List.of(), files(archives, ".*"), "nothing is made for a class path that cannot be archived");
    }

    @Test
    void anExistingArchiveIsGivenToChildren() throws IOException {
        Path archives = privateDirectory();
        String classPath = jar().toString();
        // the first call finds none and starts the archiver, which fails here (the jar is not a jar); pretend it made one
        assertEquals(List.of(), ChildClassArchive.options(List.of("-XX:+UseSerialGC"), classPath));
        List<Path> locks = files(archives, ".*\\.lock");
        assertEquals(1, locks.size(), "the archiver's lock");
        String key = locks.get(0).getFileName().toString().replace(".lock", "");
        Path archive = Files.write(archives.resolve(key + ".jsa"), new byte[] {1});
        assertEquals(List.of("-XX:SharedArchiveFile=" + archive),
                ChildClassArchive.options(List.of("-XX:+UseSerialGC"), classPath));
        assertEquals(List.of(), ChildClassArchive.options(List.of("-XX:+UseParallelGC"), classPath),
                "other child flags need another archive");
    }

    @Test
    void userChosenSharingFlagsOrOffLeaveChildrenAlone() throws IOException {
        privateDirectory();
        String classPath = jar().toString();
        assertEquals(List.of(), ChildClassArchive.options(List.of("-Xshare:off"), classPath));
        System.setProperty(ChildClassArchive.PROPERTY, "off");
        assertEquals(List.of(), ChildClassArchive.options(List.of("-XX:+UseSerialGC"), classPath));
    }

    @Test
    void aDirectoryOthersCanWriteIsNeverUsed() throws IOException {
        Path shared = directory.resolve("shared");
        Files.createDirectory(shared);
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        System.setProperty(ChildClassArchive.DIR_PROPERTY, shared.toString());
        Files.write(shared.resolve("planted.jsa"), new byte[] {1});
        assertEquals(List.of(), ChildClassArchive.options(List.of("-XX:+UseSerialGC"), jar().toString()));
        assertEquals(1, files(shared, ".*").size(), "nothing written into a directory others can write");
    }
}
