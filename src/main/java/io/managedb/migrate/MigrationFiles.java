package io.managedb.migrate;

import io.managedb.ManageDbException;
import org.flywaydb.core.api.MigrationVersion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The migrations directory: versioned ({@code V}), undo ({@code U}) and repeatable ({@code R}) SQL scripts. */
final class MigrationFiles {
    private static final Pattern SCRIPT = Pattern.compile("^([VU])([0-9][0-9._]*)__.+\\.sql$");

    private final Path dir;

    MigrationFiles(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** The undo script of a version, if there is one. */
    Optional<Path> undoScript(MigrationVersion version) {
        return scripts().filter(p -> matches(p, "U", version)).findFirst();
    }

    /** Whether any V or U script already uses this version. */
    Optional<Path> usingVersion(MigrationVersion version) {
        return scripts().filter(p -> matches(p, "V", version) || matches(p, "U", version)).findFirst();
    }

    private static boolean matches(Path p, String prefix, MigrationVersion version) {
        Matcher m = SCRIPT.matcher(p.getFileName().toString());
        return m.matches() && m.group(1).equals(prefix)
                && MigrationVersion.fromVersion(m.group(2).replace('_', '.')).equals(version);
    }

    private Stream<Path> scripts() {
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.sorted().toList();
            return files.stream();
        } catch (IOException e) {
            throw ManageDbException.config("cannot list " + dir + ": " + e.getMessage());
        }
    }
}
