package dev.multiproc.spi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * The authkey file that a parent and its remote workers share (the socket transport's
 * {@code -Dmultiproc.socket.authkeyFile} and {@code RemoteWorker --authkey-file}, the Hazelcast transport's
 * {@code -Dmultiproc.hazelcast.authkeyFile} and {@code HazelcastWorker --authkey-file}). The key is the file's bytes, without one trailing newline: any secret of
 * {@value #MIN_LENGTH} to {@value #MAX_LENGTH} bytes, e.g. the output of {@code openssl rand -hex 32}. A parent whose
 * file does not exist yet creates it, with 32 random bytes in hex, readable by its owner only.
 *
 * <p>Both sides refuse a file that group or others may read or write: whoever can read the key can join the pool
 * and run code in the parent's name.
 */
public final class AuthkeyFile {
    /** The shortest key accepted, in bytes. */
    public static final int MIN_LENGTH = 16;
    /** The longest key accepted, in bytes. */
    public static final int MAX_LENGTH = 1024;
    private static final int NEW_KEY_LENGTH = 32;
    private static final Set<PosixFilePermission> SHARED = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private AuthkeyFile() {
    }

    /**
     * @param file the authkey file
     * @return its key; a new random one written to {@code file} (mode 600) if the file does not exist
     * @throws IOException if the file cannot be read or created, is shared with group or others, or holds no key
     */
    public static byte[] loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] key = (HexFormat.of().formatHex(RandomBytes.next(NEW_KEY_LENGTH)) + "\n")
                    .getBytes(StandardCharsets.US_ASCII);
            try {
                boolean posix = Files.getFileAttributeView(file.toAbsolutePath().getParent(),
                        PosixFileAttributeView.class) != null;
                if (posix) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(
                            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
                } else {
                    Files.createFile(file);
                }
                Files.write(file, key, StandardOpenOption.TRUNCATE_EXISTING);
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: use theirs
            } catch (IOException e) {
                throw new IOException("cannot create the authkey file " + file + ": " + e.getMessage()
                        + " (check that its directory exists and is writable)", e);
            }
        }
        return load(file);
    }

    /**
     * @param file the authkey file
     * @return its key
     * @throws IOException if the file is missing or unreadable, is shared with group or others, or holds no key
     */
    public static byte[] load(Path file) throws IOException {
        byte[] bytes;
        try {
            requirePrivate(file, "authkey file", "whoever reads it can run code in this pool");
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException("the authkey file " + file + " does not exist; copy the parent's file here (the"
                    + " parent creates it when its transport's authkey file option names a file that is not there)", e);
        }
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\n') {
            length--;
            if (length > 0 && bytes[length - 1] == '\r') {
                length--;
            }
        }
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new IOException("the authkey file " + file + " holds " + length + " bytes; a key has "
                    + MIN_LENGTH + " to " + MAX_LENGTH + " (e.g. openssl rand -hex 32 > " + file + ")");
        }
        return Arrays.copyOf(bytes, length);
    }

    /**
     * @param file a file that holds a secret
     * @param what what it is, for the message
     * @param risk what a reader of the file could do, for the message
     * @throws IOException if group or others may read or write it (checked where the file system has POSIX
     *         permissions)
     */
    public static void requirePrivate(Path file, String what, String risk) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view != null) {
            Set<PosixFilePermission> permissions = view.readAttributes().permissions();
            if (permissions.stream().anyMatch(SHARED::contains)) {
                throw new IOException("the " + what + " " + file + " may be read or written by group or others ("
                        + PosixFilePermissions.toString(permissions) + "); " + risk + ". Make it private: chmod 600 "
                        + file);
            }
        }
    }
}
