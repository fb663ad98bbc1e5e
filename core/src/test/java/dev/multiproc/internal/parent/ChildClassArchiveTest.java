package dev.multiproc.internal.parent;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

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
        assertEquals(List.of(), ChildClassArchive.plan(List.of("-XX:+UseSerialGC"), directory.toString()).options());
        assertEquals(List.of(), files(archives, ".*"), "nothing is made for a class path that cannot be archived");
    }

    @Test
    void theFirstChildTrainsTheArchiveAndLaterChildrenGetIt() throws Exception {
        Path archives = privateDirectory();
        String classPath = jar().toString();
        ChildClassArchive.Plan first = ChildClassArchive.plan(List.of("-XX:+UseSerialGC"), classPath);
        if (ChildClassArchive.AOT) {
            assertEquals("-XX:AOTMode=record", first.options().get(0));
            assertTrue(first.assembly().command().contains("-XX:AOTCache=" + first.trained()),
                    first.assembly().command().toString());
            // the rest of this test fakes a dynamic archive's training file; the JVM test below trains either kind
            return;
        }
        assertEquals("-XX:ArchiveClassesAtExit=" + first.trained(), first.options().get(0));
        assertEquals(List.of(), ChildClassArchive.plan(List.of("-XX:+UseSerialGC"), classPath).options(),
                "one training child at a time");
        // the training child's JVM writes its file when it exits; the parent then moves it into place
        Files.write(first.trained(), new byte[] {1});
        Process child = new ProcessBuilder("true").start();
        first.spawned(child);
        child.waitFor();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Files.exists(first.trained()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(Files.isRegularFile(first.archive()), "moved into place when the child exited");
        assertFalse(Files.exists(first.lock()), "the training lock is released");
        assertEquals("-XX:SharedArchiveFile=" + first.archive(),
                ChildClassArchive.plan(List.of("-XX:+UseSerialGC"), classPath).options().get(0));
        assertNotNull(ChildClassArchive.plan(List.of("-XX:+UseParallelGC"), classPath).trained(),
                "other child flags need another archive");
        assertEquals(2, files(archives, ".*\\.lock").size() + files(archives, ".*\\.jsa").size());
    }

    @Test
    void aTrainingChildThatWroteNothingLeavesTheNextToTrain() throws Exception {
        privateDirectory();
        String classPath = jar().toString();
        ChildClassArchive.Plan first = ChildClassArchive.plan(List.of("-XX:+UseSerialGC"), classPath);
        Process child = new ProcessBuilder("true").start(); // killed, say, before its JVM could write anything
        first.spawned(child);
        child.waitFor();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Files.exists(first.lock()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(Files.exists(first.archive()));
        assertNotNull(ChildClassArchive.plan(List.of("-XX:+UseSerialGC"), classPath).trained(),
                "the next child trains");
    }

    /** A short program's parent exits before its training child has written its file: the next parent takes it. */
    @Test
    void aTrainingFileLeftByAnExitedChildIsTakenAtOnceByTheNextParent() throws Exception {
        privateDirectory();
        String classPath = jar().toString();
        ChildClassArchive.Plan first = ChildClassArchive.plan(List.of("-XX:+UseSerialGC"), classPath);
        assumeFalse(ChildClassArchive.AOT, "on JDK 24+ the cache is assembled by a shell of ours after the child");
        Files.write(first.trained(), new byte[] {1});
        ChildClassArchive.noteWriter(first.lock(), ProcessHandle.current().pid(), first.trained());
        assertEquals(List.of(), ChildClassArchive.plan(List.of("-XX:+UseSerialGC"), classPath).options(),
                "not taken while the process that writes it runs");
        Process child = new ProcessBuilder("true").start();
        child.waitFor();
        ChildClassArchive.noteWriter(first.lock(), child.pid(), first.trained());
        assertEquals("-XX:SharedArchiveFile=" + first.archive(),
                ChildClassArchive.plan(List.of("-XX:+UseSerialGC"), classPath).options().get(0),
                "taken once the writer has exited, not a minute later");
        assertFalse(Files.exists(first.lock()), "the training lock is released");
    }

    @Test
    void aLockWhoseTrainingChildExitedWithoutWritingIsTakenOver() throws Exception {
        privateDirectory();
        String classPath = jar().toString();
        ChildClassArchive.Plan first = ChildClassArchive.plan(List.of("-XX:+UseSerialGC"), classPath);
        Process child = new ProcessBuilder("true").start(); // its parent exited first, and it wrote nothing
        child.waitFor();
        ChildClassArchive.noteWriter(first.lock(), child.pid(), first.trained());
        assertNotNull(ChildClassArchive.plan(List.of("-XX:+UseSerialGC"), classPath).trained(),
                "the next child trains, without waiting for the lock to go stale");
    }

    /** The flags work with this JDK: a JVM trained with them writes an archive that the next JVM maps. */
    @Test
    void aJvmTrainedWithThePlansFlagsWritesAnArchiveTheNextJvmUses() throws Exception {
        privateDirectory();
        Path jar = helloJar();
        List<String> flags = ChildLauncher.jvmOptions(); // what children really run with
        ChildClassArchive.Plan training = ChildClassArchive.plan(flags, jar.toString());
        assertEquals("", run(training, flags, jar), "the training JVM prints nothing of its own");
        training.spawned(new ProcessBuilder("true").start()); // the training JVM has exited: into place with it
        long deadline = System.nanoTime() + 60_000_000_000L; // on JDK 24+, a JVM of ours assembles the cache first
        while ((!Files.exists(training.archive()) || Files.exists(training.lock())) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        ChildClassArchive.Plan using = ChildClassArchive.plan(flags, jar.toString());
        List<String> strict = new java.util.ArrayList<>(using.options());
        strict.add(ChildClassArchive.AOT ? "-XX:AOTMode=on" : "-Xshare:on"); // fails to start unless it maps
        strict.add("-Xlog:class+load");
        String loaded = run(new ChildClassArchive.Plan(strict, null, null, null, null), flags, jar);
        assertTrue(loaded.contains(Hello.class.getName() + " source: shared objects file"), loaded);
        try (Stream<Path> left = Files.list(training.archive().getParent())) {
            assertEquals(List.of(training.archive().getFileName().toString()),
                    left.map(p -> p.getFileName().toString()).toList(), "no record, part or lock left behind");
        }
    }

    /** A damaged archive costs the speed-up only: the child starts, and nothing lands on its fd 1. */
    @Test
    void aDamagedArchiveLeavesTheChildsStandardOutputAlone() throws Exception {
        Path archives = privateDirectory();
        Path jar = helloJar();
        List<String> flags = ChildLauncher.jvmOptions();
        ChildClassArchive.Plan training = ChildClassArchive.plan(flags, jar.toString());
        Files.write(training.archive(), "not an archive".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Files.deleteIfExists(training.lock());
        ChildClassArchive.Plan using = ChildClassArchive.plan(flags, jar.toString());
        assertNull(using.trained(), "the planted file is taken for the archive");
        List<String> command = new java.util.ArrayList<>(List.of(ChildLauncher.javaExecutable()));
        command.addAll(flags);
        command.addAll(using.options());
        command.addAll(List.of("-cp", jar.toString(), Hello.class.getName()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor());
        assertEquals("", out, "the child's fd 1 (the pipe transport's protocol stream) got JVM output");
        assertTrue(files(archives, ".*").size() >= 1);
    }

    private Path helloJar() throws Exception {
        Path classes = Path.of(ChildClassArchiveTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = directory.resolve("hello.jar");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            String name = Hello.class.getName().replace('.', '/') + ".class";
            out.putNextEntry(new java.util.jar.JarEntry(name));
            out.write(Files.readAllBytes(classes.resolve(name)));
            out.closeEntry();
        }
        return jar;
    }

    private static String run(ChildClassArchive.Plan plan, List<String> flags, Path jar) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(ChildLauncher.javaExecutable()));
        command.addAll(flags);
        command.addAll(plan.options());
        command.addAll(List.of("-cp", jar.toString(), Hello.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), out);
        return out;
    }

    /** The training JVM's program. */
    static final class Hello {
        public static void main(String[] args) {
            java.util.function.Supplier<String> lambda = () -> "linked";
            if (lambda.get().isEmpty()) {
                System.out.println("never");
            }
        }
    }

    @Test
    void userChosenSharingFlagsOrOffLeaveChildrenAlone() throws IOException {
        privateDirectory();
        String classPath = jar().toString();
        assertEquals(List.of(), ChildClassArchive.plan(List.of("-Xshare:off"), classPath).options());
        for (String chosen : List.of("-XX:AOTCache=app.aot", "-XX:AOTCacheOutput=app.aot", "-XX:AOTMode=record",
                "-XX:SharedArchiveFile=app.jsa", "-XX:+AutoCreateSharedArchive")) {
            assertEquals(List.of(), ChildClassArchive.plan(List.of(chosen), classPath).options(), chosen);
        }
        System.setProperty(ChildClassArchive.PROPERTY, "off");
        assertEquals(List.of(), ChildClassArchive.plan(List.of("-XX:+UseSerialGC"), classPath).options());
    }

    @Test
    void aDirectoryOthersCanWriteIsNeverUsed() throws IOException {
        Path shared = directory.resolve("shared");
        Files.createDirectory(shared);
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        System.setProperty(ChildClassArchive.DIR_PROPERTY, shared.toString());
        Files.write(shared.resolve("planted.jsa"), new byte[] {1});
        assertEquals(List.of(), ChildClassArchive.plan(List.of("-XX:+UseSerialGC"), jar().toString()).options());
        assertEquals(1, files(shared, ".*").size(), "nothing written into a directory others can write");
    }
}
