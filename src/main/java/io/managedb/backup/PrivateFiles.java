package io.managedb.backup;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/** Private, atomic files: created 0600 (directories 0700) whatever the umask, visible only once complete. */
public final class PrivateFiles {
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");

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
    static Path privateFile(Path file) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        Files.setPosixFilePermissions(file, FILE);
        return file;
    }

    /** Makes a directory tree written by a child process private: files 0600, directories 0700. */
    static void makePrivate(Path tree) throws IOException {
        try (Stream<Path> walk = Files.walk(tree)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Files.setPosixFilePermissions(p, Files.isDirectory(p) ? DIR : FILE);
            }
        }
    }

    /** Writes {@code NAME.partial}, fsyncs it, renames it to NAME and fsyncs the directory. */
    static void writeAtomically(Path file, byte[] content) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        writePartial(partial, content);
        publish(partial, file);
    }

    /** Writes a new private file in full and fsyncs it (a previous one of that name is replaced). */
    static void writePartial(Path partial, byte[] content) throws IOException {
        Files.deleteIfExists(partial);
        privateFile(partial);
        try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE);
             OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
            out.write(content);
            out.flush();
            ch.force(true);
        }
    }

    /** Renames a complete partial file or directory to its final name and makes the rename durable. */
    static void publish(Path partial, Path target) throws IOException {
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    static void syncTree(Path tree) throws IOException {
        try (Stream<Path> walk = Files.walk(tree)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                    ch.force(true);
                }
            }
        }
    }
}
