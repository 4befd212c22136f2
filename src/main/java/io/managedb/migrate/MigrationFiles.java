package io.managedb.migrate;

import io.managedb.core.ManageDbException;
import org.flywaydb.core.api.MigrationVersion;

import java.io.IOException;
import java.nio.file.Files;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The migration directories (with their subdirectories, as Flyway scans them): versioned ({@code V}), undo ({@code U})
 * and repeatable ({@code R}) SQL scripts. New migrations go into the first directory.
 */
final class MigrationFiles {
    private static final Pattern SCRIPT = Pattern.compile("^([VU])([0-9][0-9._]*)__.+\\.sql$");
    private static final Pattern RUN_BY_FLYWAY = Pattern.compile("^(V[0-9][0-9._]*|R)__.+\\.sql$");

    private final List<Path> dirs;

    MigrationFiles(List<Path> dirs) {
        this.dirs = List.copyOf(dirs);
    }

    Path dir() {
        return dirs.get(0);
    }

    /** The versioned and repeatable scripts Flyway runs. */
    List<Path> flywayScripts() {
        return scripts().filter(p -> RUN_BY_FLYWAY.matcher(p.getFileName().toString()).matches()).toList();
    }

    /** A versioned or repeatable script by file name. */
    Optional<Path> script(String fileName) {
        return scripts().filter(p -> p.getFileName().toString().equals(fileName)).findFirst();
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
        List<Path> files = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(Files::isRegularFile).sorted().forEach(files::add);
            } catch (IOException | UncheckedIOException e) {
                throw ManageDbException.config("cannot list " + dir + ": " + e.getMessage());
            }
        }
        return files.stream();
    }
}
