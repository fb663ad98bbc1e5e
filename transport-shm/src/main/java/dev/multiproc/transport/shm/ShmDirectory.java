package dev.multiproc.transport.shm;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where segments live and how they are named: {@code multiproc-<owner pid>-<owner start ms>-<context id>-<what>} in
 * {@code /dev/shm} (a tmpfs on Linux), or in {@code java.io.tmpdir} where there is none, or in the directory named by
 * {@link ShmTransport#DIRECTORY}. The owner's pid and start time in the name let any later context tell, without opening a
 * file, whether the owner is still alive, and sweep the segments of owners that died without closing (kill -9).
 */
final class ShmDirectory {
    static final String PREFIX = "multiproc-";

    private static final System.Logger LOG = System.getLogger("dev.multiproc.shm");
    private static final Pattern NAME = Pattern.compile("multiproc-(\\d+)-(\\d+)-.+");

    private ShmDirectory() {
    }

    /** @return the directory segments go to in a context that does not set {@link ShmTransport#DIRECTORY} */
    static Path directoryOfThisProcess() {
        return directory(ShmTransport.DIRECTORY.fromSystemProperties());
    }

    /**
     * @param configured the context's {@link ShmTransport#DIRECTORY}, or null
     * @return the directory segments go to
     */
    static Path directory(Path configured) {
        if (configured != null) {
            return configured;
        }
        Path shm = Paths.get("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return shm;
        }
        return Paths.get(System.getProperty("java.io.tmpdir"));
    }

    /** @return the name prefix of every segment this process makes for the context */
    static String prefixFor(String contextId) {
        ProcessHandle self = ProcessHandle.current();
        return PREFIX + self.pid() + "-" + startMillis(self) + "-" + contextId + "-";
    }

    /** @return the process's start time in epoch milliseconds, or 0 where the platform does not tell */
    static long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /**
     * Deletes every segment in the directory whose owner is no longer running (a pid that is gone, or reused by a
     * process that started at another time).
     *
     * @return how many files were deleted
     */
    static int sweep(Path directory) {
        int swept = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, PREFIX + "*")) {
            for (Path entry : entries) {
                Matcher name = NAME.matcher(entry.getFileName().toString());
                if (name.matches() && !ownerAlive(Long.parseLong(name.group(1)), Long.parseLong(name.group(2)))) {
                    try {
                        if (Files.deleteIfExists(entry)) {
                            swept++;
                        }
                    } catch (IOException e) {
                        LOG.log(Level.WARNING, "could not delete " + entry + ", left by a dead process", e);
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.log(Level.WARNING, "could not sweep " + directory + " for segments of dead processes", e);
        }
        if (swept > 0) {
            LOG.log(Level.DEBUG, "deleted {0} shared-memory segments left in {1} by processes that died", swept,
                    directory);
        }
        return swept;
    }

    /** Whether the process with this pid runs and started at this time (0: unknown, then any start matches). */
    static boolean ownerAlive(long pid, long startMillis) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !running(process.get())) {
            return false;
        }
        long actual = startMillis(process.get());
        return startMillis == 0 || actual == 0 || actual == startMillis;
    }

    /** @return whether the process with this pid runs: it exists and is not a zombie */
    static boolean running(long pid) {
        return ProcessHandle.of(pid).map(ShmDirectory::running).orElse(false);
    }

    /**
     * Whether a process runs. {@link ProcessHandle#isAlive()} is true for a zombie, a process that has exited but
     * that its parent has not reaped yet (a parent that does not wait for its children, or is stopped): its
     * segments, locks and channel ends are as dead as a reaped process's, so a zombie does not count.
     */
    static boolean running(ProcessHandle process) {
        return process.isAlive() && !zombie(process.pid());
    }

    /** @return true if Linux's /proc says the process has exited (state Z or X); false where there is no /proc */
    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int end = stat.lastIndexOf(')'); // the command name, in parentheses, may hold anything
            char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
            return state == 'Z' || state == 'X';
        } catch (IOException | RuntimeException e) {
            return false; // no /proc (or the process just went): isAlive() decides
        }
    }
}
