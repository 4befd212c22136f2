package io.managedb.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/** Private, atomic files: created 0600 (directories 0700) whatever the umask, visible only once complete. */
public final class PrivateFiles {
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /** Creates a directory (and parents); a directory this call creates is made 0700. */
    public static Path privateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, DIR);
        }
        return dir;
    }

    /** Creates a new empty file, 0600. */
    public static Path privateFile(Path file) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        Files.setPosixFilePermissions(file, FILE);
        return file;
    }

    /** Makes a directory tree written by a child process private: files 0600, directories 0700. */
    public static void makePrivate(Path tree) throws IOException {
        try (Stream<Path> walk = Files.walk(tree)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Files.setPosixFilePermissions(p, Files.isDirectory(p) ? DIR : FILE);
            }
        }
    }

    /** Whose permissions a file written by {@link #writeAtomically(Path, byte[], Mode)} gets. */
    public enum Mode {
        /** 0600, whatever the file it replaces had. */
        PRIVATE,
        /**
         * The permissions, owner and group of the file it replaces (a symlink is followed and stays a symlink);
         * 0600 for a new file. Fails, leaving the file as it was, when the owner cannot be kept (not root).
         */
        LIKE_REPLACED,
        /**
         * 0644 whatever the file it replaces had or the umask: for files another user's program must read (metrics
         * for node_exporter), never for anything secret.
         */
        WORLD_READABLE
    }

    /** Writes {@code NAME.partial} 0600, fsyncs it, renames it to NAME and fsyncs the directory. */
    public static void writeAtomically(Path file, byte[] content) throws IOException {
        writeAtomically(file, content, Mode.PRIVATE);
    }

    /**
     * Replaces or creates {@code file} atomically: writes {@code NAME.partial} (created 0600, so no other user can
     * read it while it is written), gives it the permissions {@code mode} says, fsyncs it, renames it over NAME
     * and fsyncs the directory. Readers see the old content or the new, never a mix; on failure the partial file
     * is removed and the old file is untouched.
     */
    public static void writeAtomically(Path file, byte[] content, Mode mode) throws IOException {
        Path target = mode == Mode.LIKE_REPLACED && Files.exists(file) ? file.toRealPath() : file;
        PosixFileAttributes replaced = mode == Mode.LIKE_REPLACED && Files.exists(target)
                ? Files.readAttributes(target, PosixFileAttributes.class) : null;
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        privateFile(partial);
        try {
            try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                OutputStream out = java.nio.channels.Channels.newOutputStream(ch);
                out.write(content);
                out.flush();
                if (replaced != null) {
                    copyAttributes(replaced, partial, target);
                } else if (mode == Mode.WORLD_READABLE) {
                    Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
                }
                ch.force(true);
            }
            publish(partial, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
    }

    private static void copyAttributes(PosixFileAttributes from, Path to, Path target) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        PosixFileAttributes now = view.readAttributes();
        try {
            if (!now.owner().equals(from.owner())) {
                view.setOwner(from.owner());
            }
            if (!now.group().equals(from.group())) {
                view.setGroup(from.group());
            }
        } catch (IOException e) {
            throw new IOException("cannot keep the owner " + from.owner().getName() + ":" + from.group().getName()
                    + " of " + target
                    + " (" + e.getMessage() + ")", e);
        }
        // After the chown: a chown may clear set-id bits.
        view.setPermissions(from.permissions());
    }

    /** Writes a new private (0600) file in full and fsyncs it; a previous file of that name is replaced. */
    public static void writePartial(Path partial, byte[] content) throws IOException {
        Files.deleteIfExists(partial);
        privateFile(partial);
        try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            OutputStream out = java.nio.channels.Channels.newOutputStream(ch);
            out.write(content);
            out.flush();
            ch.force(true);
        }
    }

    /** Renames a complete partial file or directory to its final name and makes the rename durable. */
    public static void publish(Path partial, Path target) throws IOException {
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    public static void syncTree(Path tree) throws IOException {
        try (Stream<Path> walk = Files.walk(tree)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                    ch.force(true);
                }
            }
        }
    }
}
