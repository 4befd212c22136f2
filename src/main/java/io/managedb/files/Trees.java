package io.managedb.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whole directory trees. */
public final class Trees {
    private Trees() {
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
}
