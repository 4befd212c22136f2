package io.managedb.backup;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.config.Environment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the backup directory holds, read from the manifests in one directory listing (fast with thousands of
 * backups). Only a backup with a readable manifest and its file present is good; partial files and files without a
 * manifest are listed as such.
 */
public final class BackupCatalog {
    private final Path dir;
    private final BackupKeys keys;

    public BackupCatalog(Path dir) {
        this(dir, BackupKeys.NONE);
    }

    /** A catalog whose archives are opened with these keys (to decrypt encrypted backups). */
    public BackupCatalog(Path dir, BackupKeys keys) {
        this.dir = dir;
        this.keys = keys;
    }

    /** Opens a backup (see {@link Archive#open(Path, BackupKeys)}) with this catalog's keys. */
    public Archive open(Path backup) {
        return Archive.open(backup, keys);
    }

    public Path dir() {
        return dir;
    }

    /**
     * Where a backup named on the command line is: the path as given (relative to {@code workDir}) when it exists,
     * else that name in the backup directory.
     */
    public Path locate(String name, Path workDir) {
        Path given = workDir.resolve(name);
        if (Files.exists(given) || Path.of(name).isAbsolute()) {
            return given;
        }
        Path inDir = dir.resolve(name);
        return Files.exists(inDir) ? inDir : given;
    }

    /** Everything in the directory that is or looks like a backup, newest first. */
    public List<BackupEntry> entries() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        Map<String, BasicFileAttributes> files = new HashMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                files.put(p.getFileName().toString(), Files.readAttributes(p, BasicFileAttributes.class));
            }
        } catch (IOException e) {
            throw ManageDbException.config("cannot list " + dir + ": " + e.getMessage());
        }
        List<BackupEntry> entries = new ArrayList<>();
        for (var e : files.entrySet()) {
            String name = e.getKey();
            BasicFileAttributes attrs = e.getValue();
            Path path = dir.resolve(name);
            if (name.endsWith(".partial")) {
                entries.add(new BackupEntry(path.toString(), name, "partial", null, attrs.size(),
                        attrs.lastModifiedTime().toInstant()));
            } else if (name.endsWith(".json")) {
                String backupName = name.substring(0, name.length() - ".json".length());
                if (!files.containsKey(backupName)) {
                    entries.add(manifestOnly(path, backupName));
                }
            } else if (looksLikeBackup(name, attrs)) {
                entries.add(withManifest(path, name, attrs, files.containsKey(name + ".json")));
            }
        }
        entries.sort(Comparator.comparing(BackupEntry::createdAt).reversed()
                .thenComparing(BackupEntry::name, Comparator.reverseOrder()));
        return entries;
    }

    private BackupEntry manifestOnly(Path manifestPath, String backupName) {
        try {
            Manifest m = Manifests.parse(manifestPath);
            return new BackupEntry(dir.resolve(backupName).toString(), backupName, "missing-file", m, 0,
                    m.startedAt());
        } catch (IOException e) {
            return new BackupEntry(manifestPath.toString(), manifestPath.getFileName().toString(),
                    "bad-manifest", null, 0, java.time.Instant.EPOCH);
        }
    }

    private static boolean looksLikeBackup(String name, BasicFileAttributes attrs) {
        if (!attrs.isDirectory() && name.endsWith(BackupKeys.SUFFIX)) {
            name = name.substring(0, name.length() - BackupKeys.SUFFIX.length());
        }
        return attrs.isDirectory() ? name.endsWith(".dir")
                : name.endsWith(".dump") || name.endsWith(".sql.gz") || name.endsWith(".sql") || name.endsWith(".backup");
    }

    private BackupEntry withManifest(Path path, String name, BasicFileAttributes attrs, boolean hasManifest) {
        if (!hasManifest) {
            return new BackupEntry(path.toString(), name, "no-manifest", null, attrs.size(),
                    attrs.lastModifiedTime().toInstant());
        }
        try {
            Manifest m = Manifests.parse(Manifests.of(path));
            return new BackupEntry(path.toString(), name, "ok", m, m.sizeBytes(), m.startedAt());
        } catch (IOException e) {
            return new BackupEntry(path.toString(), name, "bad-manifest", null, attrs.size(),
                    attrs.lastModifiedTime().toInstant());
        }
    }

    /** Good backups of one environment's database, newest first. */
    public List<BackupEntry> good(String environment, String database) {
        return entries().stream().filter(BackupEntry::good)
                .filter(e -> e.manifest().environment().equals(environment)
                        && e.manifest().database().equals(database))
                .toList();
    }

    /**
     * An environment's share of {@link #entries()}: the backups whose manifest names it, and those without a readable
     * manifest whose file name says they are its database's; {@code others} counts the rest of the directory.
     */
    public Selection entries(Environment env) {
        List<BackupEntry> all = entries();
        String prefix = BackupService.prefix(env.name(), env.target().database());
        List<BackupEntry> mine = all.stream().filter(e -> e.manifest() != null
                ? e.manifest().environment().equals(env.name()) : e.name().startsWith(prefix)).toList();
        return new Selection(mine, all.size() - mine.size());
    }

    /** Some entries of the directory, newest first, and how many others it holds. */
    public record Selection(List<BackupEntry> entries, int others) {
    }

    /**
     * What {@code latest} means: the newest good, complete, full backup of an environment's database. Schema-only
     * and data-only backups are left out (restoring one would empty or break the tables), and so are safety backups
     * (taken automatically before a destructive operation), so that {@code restore latest} run twice restores the
     * same backup.
     */
    public Optional<BackupEntry> latest(Environment env) {
        return good(env.name(), env.target().database()).stream()
                .filter(e -> !e.manifest().safety() && "full".equals(e.manifest().scope())).findFirst();
    }

    /** {@link #latest}, or a usage error (exit 2) saying that there is none. */
    public Path requireLatest(Environment env) {
        return latest(env).map(e -> Path.of(e.path()))
                .orElseThrow(() -> new ManageDbException(ExitCode.USAGE, "no good full backup of "
                        + env.name() + " (database " + env.target().database() + ") in " + dir));
    }

    /** A backup named on the command line: {@code latest} (see {@link #requireLatest}) or a file ({@link #locate}). */
    public Path resolve(String fileOrLatest, Environment env, Path workDir) {
        return fileOrLatest.equals("latest") ? requireLatest(env) : locate(fileOrLatest, workDir);
    }
}
