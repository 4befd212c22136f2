package io.managedb.files;

import io.managedb.core.ManageDbException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Directories: their SQL files, and whole trees. */
public final class Trees {
    private Trees() {
    }

    /** Where temporary files go: {@code $TMPDIR} in this environment, else {@code java.io.tmpdir}. */
    public static Path temporaryRoot(java.util.Map<String, String> env) {
        String dir = env.get("TMPDIR");
        return Path.of(dir == null || dir.isBlank() ? System.getProperty("java.io.tmpdir") : dir);
    }

    /** A new private (0700) directory under {@code root}. */
    public static Path privateTemporaryDirectory(Path root, String prefix) throws IOException {
        return Files.createTempDirectory(root, prefix,
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(PrivateFiles.DIR));
    }

    /** Deletes a file or a directory tree, quietly. */
    public static void deleteRecursively(Path path) {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** The {@code .sql} files directly in a directory, by name; none when it does not exist. Exit 3 if unreadable. */
    public static List<Path> sqlFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".sql")).sorted().toList();
        } catch (IOException e) {
            throw ManageDbException.config("cannot list " + dir + ": " + e.getMessage());
        }
    }
}
