package dev.multiproc.internal.parent;

import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * A class-data-sharing archive for child JVMs, trained by a real child: most of a child's start-up is loading,
 * verifying and linking classes (multiproc's, protobuf's relocated runtime, the JDK's serialization and
 * {@code java.lang.invoke} machinery, the application's own task classes) and spinning the lambda proxies its code
 * uses; an archive maps all of that ready-made.
 *
 * <p>The archive is made once per class path, JDK and child flags. The first child launched without one (when no
 * other program is making it) runs with the JDK's {@code -XX:ArchiveClassesAtExit}: it works as any child does, and
 * when it exits the JVM writes every class it loaded, the lambda proxies it linked included, to a file of its own;
 * the parent moves that file into place when the child has exited (a later parent adopts it if this one was gone
 * first). That child's exit takes a few hundred milliseconds longer, once. Children started afterwards, by this or
 * any later program with the same class path, JDK and flags, get {@code -XX:SharedArchiveFile}. Archives live in
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
    /** A training child that has not delivered after this long is taken for dead, and its lock for stale. */
    private static final long STALE_MILLIS = TimeUnit.MINUTES.toMillis(10);
    /** A training child's file this old belongs to a child whose parent did not see it exit: adopted. */
    private static final long ORPHAN_MILLIS = TimeUnit.MINUTES.toMillis(1);
    private static final String PART = ".part-";
    /** Archives kept beyond an hour without use, most recently used first. */
    private static final int KEEP = 16;
    private static final Set<String> STARTED = ConcurrentHashMap.newKeySet();
    /** Children training an archive now: killed before they exit, they would leave nothing, every time. */
    static final Set<Long> TRAINING = ConcurrentHashMap.newKeySet();

    /**
     * @param child a child process
     * @return whether it is training an archive: a pool that no longer needs it lets it start and exit instead of
     *         killing it (otherwise a slow-starting trainer of a short program would be killed on every run)
     */
    static boolean isTraining(Process child) {
        return TRAINING.contains(child.pid());
    }

    /**
     * What one child's command line gets.
     *
     * @param options the JVM options to add
     * @param trained for the child that trains the archive: the file its JVM writes at exit; else null
     * @param archive where the archive goes
     * @param lock the training lock, released when the training child has exited
     * @param assembly on JDK 24+, how the cache is made from what the training child records; else null
     */
    record Plan(List<String> options, Path trained, Path archive, Path lock, Assembly assembly) {
        static final Plan NONE = new Plan(List.of(), null, null, null, null);

        /** @param child the child just spawned with these options: a training child's archive goes into place when it exits */
        void spawned(Process child) {
            if (trained != null) {
                TRAINING.add(child.pid());
                if (assembly == null) {
                    noteWriter(lock, child.pid(), trained);
                }
                child.onExit().thenRun(() -> {
                    TRAINING.remove(child.pid());
                    if (assembly == null) {
                        adopt(trained, archive, lock);
                    } else {
                        assemble(assembly, trained, archive, lock);
                    }
                });
            }
        }
    }

    /**
     * The JDK 24+ assembly step.
     *
     * @param record the file the training child records into
     * @param command the JVM that makes the cache from it
     */
    record Assembly(Path record, List<String> command) {
    }

    private static final Path SHELL = Path.of("/bin/sh");

    /**
     * JDK 24 and later (JEP 483, 514, 515): an ahead-of-time cache, which holds the classes loaded and linked, the
     * call sites resolved and, from JDK 25, method profiles, instead of a dynamic CDS archive. Measured here for the
     * same children on JDK 25: 0.83x the wall time and 0.84x the CPU of the dynamic archive.
     */
    static final boolean AOT = Runtime.version().feature() >= 24 && Files.isExecutable(SHELL);
    /** Runs the assembly, then puts the cache in place (or drops a failed one) and releases the training lock. */
    private static final String ASSEMBLE = "\"$@\"; if [ $? -eq 0 ] && [ -s \"$MULTIPROC_AOT_PART\" ]; then"
            + " mv -f \"$MULTIPROC_AOT_PART\" \"$MULTIPROC_AOT_CACHE\"; else rm -f \"$MULTIPROC_AOT_PART\"; fi;"
            + " rm -f \"$MULTIPROC_AOT_RECORD\" \"$MULTIPROC_AOT_LOCK\"";
    private static final String CONFIGURATION = ".conf-";

    private ChildClassArchive() {
    }

    /**
     * @param jvmOptions the child's JVM options
     * @param classPath the child's class path
     * @return the options that make a child use the archive, or train it; none if archiving is off or impossible
     *         here, or another child is training it right now
     */
    static Plan plan(List<String> jvmOptions, String classPath) {
        try {
            if ("off".equalsIgnoreCase(System.getProperty(PROPERTY, "auto").trim())
                    || jvmOptions.stream().anyMatch(ChildClassArchive::choosesSharing)) {
                return Plan.NONE;
            }
            String key = key(jvmOptions, classPath);
            if (key == null) {
                return Plan.NONE;
            }
            Path directory = PrivateDirectory.get(DIR_PROPERTY, "multiproc-cds-");
            Path archive = directory.resolve(key + ".jsa");
            Path lock = directory.resolve(key + ".lock");
            if (!usable(archive)) {
                adoptOrphans(directory, archive, lock);
            }
            if (usable(archive)) {
                if (STARTED.add(key)) {
                    // once per JVM: marks the archive as in use, so that the weekly clean-up keeps it
                    Files.setLastModifiedTime(archive, FileTime.fromMillis(System.currentTimeMillis()));
                }
                // a stale or damaged archive costs the speed-up and nothing else: the JVM says so only when asked
                return new Plan(with(AOT ? "-XX:AOTCache=" + archive : "-XX:SharedArchiveFile=" + archive, quiet()),
                        null, null, null, null);
            }
            if (!lock(lock)) {
                return Plan.NONE; // another child is training it right now
            }
            deleteOldArchives(directory);
            String attempt = ProcessHandle.current().pid() + "-" + System.nanoTime();
            Path trained = directory.resolve(archive.getFileName() + PART + attempt);
            LOG.log(Level.DEBUG, "this child trains the class-data-sharing archive " + archive);
            if (AOT) {
                // The child records what it loads and links; when it has exited, a JVM of ours assembles the cache
                // from that record, its output discarded. The recording JVM prints a line of its own when it
                // exits, and warnings about classes it cannot keep, which would reach the user's output (or the
                // pipe transport's fd 1): its VM output and its class-sharing logs are off.
                Path configuration = directory.resolve(archive.getFileName() + CONFIGURATION + attempt);
                List<String> command = new ArrayList<>();
                command.add(ChildLauncher.javaExecutable());
                command.addAll(jvmOptions);
                command.addAll(List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + configuration,
                        "-XX:AOTCache=" + trained, "-cp", classPath));
                List<String> options = new ArrayList<>(List.of("-XX:AOTMode=record",
                        "-XX:AOTConfiguration=" + configuration, "-XX:+UnlockDiagnosticVMOptions",
                        "-XX:-DisplayVMOutput"));
                options.addAll(quiet());
                return new Plan(List.copyOf(options), trained, archive, lock,
                        new Assembly(configuration, List.copyOf(command)));
            }
            // quiet: the JDK reports classes it cannot archive (of an old class-file version, say) on stdout
            return new Plan(with("-XX:ArchiveClassesAtExit=" + trained, quiet()), trained, archive, lock, null);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "no class-data-sharing archive for children: " + e);
        }
        return Plan.NONE;
    }

    /**
     * @return whether a child flag chooses class sharing itself (CDS archives, JDK 24+'s AOT cache): the user's
     *         choice, which multiproc must not mix its own archive into (the JVM refuses some mixtures)
     */
    private static boolean choosesSharing(String option) {
        return option.startsWith("-Xshare") || option.contains("SharedArchiveFile")
                || option.contains("ArchiveClassesAtExit") || option.contains("AutoCreateSharedArchive")
                || option.startsWith("-XX:AOT") || option.contains("DumpLoadedClassList")
                || option.contains("SharedClassListFile");
    }

    /**
     * @return the flags that silence the JVM's class-sharing logs on both outputs a child may have: stdout (the
     *         JVM's default, and the pipe transport's fd 1) and stderr (where children send the JVM's warnings)
     */
    private static List<String> quiet() {
        List<String> flags = new ArrayList<>();
        for (String tags : AOT ? List.of("cds*", "aot*") : List.of("cds*")) {
            flags.add("-Xlog:" + tags + "=off");
            flags.add("-Xlog:" + tags + "=off:stderr");
        }
        return flags;
    }

    private static List<String> with(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return List.copyOf(all);
    }

    private static boolean usable(Path archive) throws IOException {
        return Files.isRegularFile(archive) && Files.size(archive) > 0;
    }

    /** @return whether this JVM now holds the training lock (created, or taken over from a stale one or from a writer
     *     that has exited) */
    private static boolean lock(Path lock) throws IOException {
        try {
            Files.createFile(lock);
            return true;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            long age = System.currentTimeMillis() - Files.getLastModifiedTime(lock).toMillis();
            if (age < STALE_MILLIS && !writerExited(lock, null)) {
                return false;
            }
            Files.writeString(lock, ""); // ours now: its writer is named once spawned
            return true;
        }
    }

    /**
     * After a training child on JDK 24+ has exited: assembles the cache from what it recorded and moves it into place, in a shell of its own that outlives this
     * JVM if it must (a short program exits long before the assembly's few seconds are up); a child that recorded
     * nothing (killed) leaves the next child to train.
     */
    static void assemble(Assembly assembly, Path trained, Path archive, Path lock) {
        Path record = assembly.record();
        try {
            if (Files.isRegularFile(record) && Files.size(record) > 0) {
                List<String> command = new ArrayList<>(List.of(SHELL.toString(), "-c", ASSEMBLE, "multiproc-aot"));
                command.addAll(assembly.command());
                ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD);
                builder.environment().put("MULTIPROC_AOT_PART", trained.toString());
                builder.environment().put("MULTIPROC_AOT_CACHE", archive.toString());
                builder.environment().put("MULTIPROC_AOT_RECORD", record.toString());
                builder.environment().put("MULTIPROC_AOT_LOCK", lock.toString());
                builder.start().getOutputStream().close();
                return;
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "could not assemble the ahead-of-time cache " + trained + ": " + e);
        }
        deleteQuietly(record);
        adopt(trained, archive, lock);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "could not delete " + file + ": " + e);
        }
    }

    /** Moves what a training child wrote into place, and releases the training lock. */
    static void adopt(Path trained, Path archive, Path lock) {
        try {
            if (Files.isRegularFile(trained) && Files.size(trained) > 0) {
                Files.move(trained, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                // killed before it could write (or it could not): the next child trains again
                Files.deleteIfExists(trained);
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "could not put the class-data-sharing archive " + trained + " in place: " + e);
        } finally {
            try {
                Files.deleteIfExists(lock);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "could not release " + lock + ": " + e);
            }
        }
    }

    /**
     * A training child whose parent exited first left its file (a short program's parent does not wait for its
     * children to write their archives): it is whole, and taken, once the child that wrote it has exited (its pid is
     * in the name), or a minute later if that cannot be told.
     */
    private static void adoptOrphans(Path directory, Path archive, Path lock) {
        String prefix = archive.getFileName() + PART;
        long cutoff = System.currentTimeMillis() - ORPHAN_MILLIS;
        try (java.nio.file.DirectoryStream<Path> parts = Files.newDirectoryStream(directory, prefix + "*")) {
            for (Path part : parts) {
                if (writerExited(lock, part) || Files.getLastModifiedTime(part).toMillis() < cutoff) {
                    adopt(part, archive, lock);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "could not look for archives in " + directory + ": " + e);
        }
    }

    /**
     * @return a 96-bit hash of everything the archive depends on, or null if the class path holds a non-jar. Not a
     *     cryptographic digest: a cold JVM's first {@code MessageDigest} costs it several milliseconds of provider
     *     set-up, and a collision costs only the speed-up (the JVM checks an archive's class path and jars itself
     *     and ignores one that does not match).
     */
    private static String key(List<String> jvmOptions, String classPath) throws IOException {
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
        byte[] bytes = input.toString().getBytes(StandardCharsets.UTF_8);
        long fnv = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            fnv = (fnv ^ (b & 0xff)) * 0x100000001b3L;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return HexFormat.of().toHexDigits(fnv) + HexFormat.of().toHexDigits((int) crc.getValue());
    }

    /** Writes the training child's pid and file into the lock, for {@link #writerExited}. */
    static void noteWriter(Path lock, long pid, Path trained) {
        try {
            Files.writeString(lock, pid + " " + trained.getFileName());
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "could not write " + lock + ": " + e);
        }
    }

    /**
     * @param lock the training lock
     * @param part a training file, or null for whichever the lock names
     * @return whether the lock names the child that writes {@code part} and that process has exited (false if the
     *     lock cannot be read or names another file, or the pid is alive: perhaps reused, when the age rule decides)
     */
    static boolean writerExited(Path lock, Path part) {
        try {
            String[] writer = Files.readString(lock).split(" ", 2);
            if (writer.length != 2 || (part != null && !writer[1].equals(part.getFileName().toString()))) {
                return false;
            }
            return ProcessHandle.of(Long.parseLong(writer[0])).map(process -> !process.isAlive()).orElse(true);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /**
     * Archives of other class paths pile up as jars are rebuilt (every build of an application is a new class path):
     * those not used (modified) for a week go, and beyond the {@value #KEEP} most recently used, those not used for
     * an hour. An archive in use is touched once by every program that gives it to children.
     */
    private static void deleteOldArchives(Path directory) {
        long now = System.currentTimeMillis();
        List<Path> archives = new ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.jsa*")) {
            files.forEach(archives::add);
            Map<Path, Long> used = new HashMap<>();
            for (Path archive : archives) {
                used.put(archive, Files.getLastModifiedTime(archive).toMillis());
            }
            archives.sort(Comparator.comparing(used::get, Comparator.reverseOrder()));
            for (int i = 0; i < archives.size(); i++) {
                long age = now - used.get(archives.get(i));
                if (age > TimeUnit.DAYS.toMillis(7) || (i >= KEEP && age > TimeUnit.HOURS.toMillis(1))) {
                    Files.deleteIfExists(archives.get(i));
                }
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "could not clean old archives in " + directory + ": " + e);
        }
    }
}
