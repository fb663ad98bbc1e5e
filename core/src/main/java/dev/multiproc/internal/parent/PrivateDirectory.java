package dev.multiproc.internal.parent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A directory of this user's only, for files that child JVMs run as code (class-data-sharing archives, unpacked
 * jars): a directory another user can write to could hand our children code of theirs.
 */
final class PrivateDirectory {
    private PrivateDirectory() {
    }

    /**
     * @param property the system property that names the directory, if set
     * @param prefix the default's name in {@code java.io.tmpdir}, before the user name
     * @return the directory, created with mode 0700 if it did not exist
     * @throws IOException if it cannot be created, or is not private to this user (or the file system cannot say)
     */
    static Path get(String property, String prefix) throws IOException {
        String configured = System.getProperty(property);
        String user = System.getProperty("user.name");
        Path directory = configured != null && !configured.isBlank() ? Paths.get(configured)
                : Paths.get(System.getProperty("java.io.tmpdir"), prefix + user);
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
            if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                    || permissions.contains(PosixFilePermission.OTHERS_WRITE)
                    || !Files.getOwner(directory).getName().equals(user)) {
                throw new IOException(directory + " is not private to user " + user + "; set -D" + property
                        + " to a directory only you can write");
            }
        } catch (UnsupportedOperationException e) {
            throw new IOException("the file system of " + directory + " has no POSIX permissions, so it cannot be"
                    + " kept private; set -D" + property + " to a directory on one that has", e);
        }
        return directory;
    }
}
