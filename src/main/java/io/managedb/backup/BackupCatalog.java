package io.managedb.backup;

import io.managedb.files.Checksums;
import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.config.Environment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
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
    private final Path indexFile;

    /** A catalog that parses every manifest each time. */
    public BackupCatalog(Path dir) {
        this(dir, BackupKeys.NONE, null);
    }

    /** A catalog whose archives are opened with these keys (to decrypt encrypted backups). */
    public BackupCatalog(Path dir, BackupKeys keys) {
        this(dir, keys, null);
    }

    /**
     * A catalog that opens archives with {@code keys} and keeps what it needs of each manifest in
     * {@code indexFile} (outside the backup directory; null for none), parsing a manifest again only when its file
     * changed.
     */
    public BackupCatalog(Path dir, BackupKeys keys, Path indexFile) {
        this.dir = dir;
        this.keys = keys;
        this.indexFile = indexFile;
    }

    /** Opens a backup (see {@link Archive#open(Path, BackupKeys)}) with this catalog's keys. */
    public Archive open(Path backup) {
        return Archive.open(backup, keys);
    }

    /**
     * Where the index of a backup directory is kept under a cache directory: one file per directory, named by a
     * hash of its absolute path.
     */
    public static Path indexFile(Path cacheDir, Path backupDir) {
        String hash = Checksums.ofText(backupDir.toAbsolutePath().normalize().toString());
        return cacheDir.resolve("catalog-" + hash.substring(0, 24));
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

    /** What one directory listing tells of a file: one stat each. */
    private record FileInfo(boolean directory, long size, Instant modified, ManifestIndex.Stamp stamp) {
        static FileInfo of(Path p) throws IOException {
            if (!p.getFileName().toString().endsWith(".json")) {
                return basic(p);
            }
            try {
                Map<String, Object> a = Files.readAttributes(p, "unix:isDirectory,size,lastModifiedTime,ino,ctime");
                return new FileInfo((Boolean) a.get("isDirectory"), (Long) a.get("size"),
                        ((FileTime) a.get("lastModifiedTime")).toInstant(), ManifestIndex.Stamp.of(a));
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                return basic(p);
            }
        }

        private static FileInfo basic(Path p) throws IOException {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return new FileInfo(a.isDirectory(), a.size(), a.lastModifiedTime().toInstant(), null);
        }
    }

    /**
     * Everything in the directory that is or looks like a backup, newest first. The manifests are the backups'
     * summaries: every field but the row counts (read a backup's own manifest with {@link Manifests#read} for
     * those). A manifest counts as readable only once parsed in full; what {@link ManifestIndex} keeps of one is used
     * only while the file is unchanged.
     */
    public List<BackupEntry> entries() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        Map<String, FileInfo> files = new HashMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                try {
                    files.put(p.getFileName().toString(), FileInfo.of(p));
                } catch (NoSuchFileException gone) {
                    // deleted while the directory was listed (a concurrent prune): not in it
                }
            }
        } catch (IOException e) {
            throw ManageDbException.config("cannot list " + dir + ": " + e.getMessage());
        }
        ManifestIndex index = ManifestIndex.load(indexFile);
        List<BackupEntry> entries = new ArrayList<>();
        for (var e : files.entrySet()) {
            String name = e.getKey();
            FileInfo info = e.getValue();
            Path path = dir.resolve(name);
            if (name.endsWith(".partial")) {
                entries.add(new BackupEntry(path.toString(), name, "partial", null, info.size(), info.modified()));
            } else if (name.endsWith(".json")) {
                String backupName = name.substring(0, name.length() - ".json".length());
                if (!files.containsKey(backupName)) {
                    entries.add(manifestOnly(path, backupName, info, index));
                }
            } else if (looksLikeBackup(name, info)) {
                FileInfo manifest = files.get(name + ".json");
                entries.add(withManifest(path, name, info, manifest, index));
            }
        }
        index.saveIfChanged();
        entries.sort(Comparator.comparing(BackupEntry::createdAt).reversed()
                .thenComparing(BackupEntry::name, Comparator.reverseOrder()));
        return entries;
    }

    /** A manifest's summary: from the index while the file is unchanged, else parsed in full (and indexed). */
    private static Manifest summary(Path manifestPath, FileInfo info, ManifestIndex index) throws IOException {
        String name = manifestPath.getFileName().toString();
        Manifest cached = index.lookup(name, info.stamp());
        if (cached != null) {
            return cached;
        }
        Manifest m = Manifests.parse(manifestPath);
        Manifest summary = new Manifest(m.manifestVersion(), m.file(), m.environment(), m.database(),
                m.serverVersion(), m.pgDumpVersion(), m.format(), m.scope(), m.sizeBytes(), m.sha256(), m.startedAt(),
                m.finishedAt(), m.durationSeconds(), m.schemaVersion(), m.toolVersion(), m.label(), m.safety(), null,
                m.encryption(), m.plaintextSha256());
        index.put(name, info.stamp(), summary);
        return summary;
    }

    private BackupEntry manifestOnly(Path manifestPath, String backupName, FileInfo info, ManifestIndex index) {
        try {
            Manifest m = summary(manifestPath, info, index);
            return new BackupEntry(dir.resolve(backupName).toString(), backupName, "missing-file", m, 0,
                    m.startedAt());
        } catch (IOException e) {
            return new BackupEntry(manifestPath.toString(), manifestPath.getFileName().toString(),
                    "bad-manifest", null, 0, java.time.Instant.EPOCH);
        }
    }

    private static boolean looksLikeBackup(String name, FileInfo info) {
        if (!info.directory() && name.endsWith(BackupKeys.SUFFIX)) {
            name = name.substring(0, name.length() - BackupKeys.SUFFIX.length());
        }
        return info.directory() ? name.endsWith(".dir")
                : name.endsWith(".dump") || name.endsWith(".sql.gz") || name.endsWith(".sql") || name.endsWith(".backup");
    }

    private BackupEntry withManifest(Path path, String name, FileInfo info, FileInfo manifest, ManifestIndex index) {
        if (manifest == null) {
            return new BackupEntry(path.toString(), name, "no-manifest", null, info.size(), info.modified());
        }
        try {
            // not Manifests.of: its class starts Jackson, needed only when a manifest is parsed
            Manifest m = summary(dir.resolve(name + ".json"), manifest, index);
            return new BackupEntry(path.toString(), name, "ok", m, m.sizeBytes(), m.startedAt());
        } catch (IOException e) {
            return new BackupEntry(path.toString(), name, "bad-manifest", null, info.size(), info.modified());
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
