package io.managedb.backup;

import io.managedb.files.Checksums;
import io.managedb.files.FileStamp;
import io.managedb.core.Async;
import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.config.Environment;
import io.managedb.storage.Repositories;
import io.managedb.storage.Repository;
import io.managedb.storage.S3Location;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What the backup repositories hold (a directory, or a bucket prefix; each environment's own, see
 * {@link Repositories}), read from the manifests in one listing (fast with thousands of backups). Only a backup with
 * a readable manifest and its data present is good; partial files and data without a manifest are listed as such.
 */
public final class BackupCatalog {
    private final Repositories repositories;
    private final BackupKeys keys;
    private final Function<Repository, Path> indexOf;

    /** A catalog of one directory that parses every manifest each time. */
    public BackupCatalog(Path dir) {
        this(dir, BackupKeys.NONE, null);
    }

    /** A catalog whose archives are opened with these keys (to decrypt encrypted backups). */
    public BackupCatalog(Path dir, BackupKeys keys) {
        this(dir, keys, null);
    }

    /**
     * A catalog of one directory that opens archives with {@code keys} and keeps what it needs of each manifest in
     * {@code indexFile} (outside the backup directory; null for none), parsing a manifest again only when its file
     * changed.
     */
    public BackupCatalog(Path dir, BackupKeys keys, Path indexFile) {
        this(Repositories.local(dir), keys, repo -> indexFile);
    }

    /**
     * The catalog of every environment's repository.
     *
     * @param indexOf where a repository's manifest index is kept (null: none)
     */
    public BackupCatalog(Repositories repositories, BackupKeys keys, Function<Repository, Path> indexOf) {
        this.repositories = repositories;
        this.keys = keys;
        this.indexOf = indexOf;
    }

    /** Opens a backup (see {@link Archive#open(StoredBackup, BackupKeys)}) with this catalog's keys. */
    public Archive open(StoredBackup backup) {
        return Archive.open(backup, keys);
    }

    /**
     * Where the index of a backup directory is kept under a cache directory: one file per directory, named by a
     * hash of its absolute path.
     */
    public static Path indexFile(Path cacheDir, Path backupDir) {
        return indexFile(cacheDir, backupDir.toAbsolutePath().normalize().toString());
    }

    /** As above, for a repository's location (an absolute directory or an {@code s3://} URL). */
    public static Path indexFile(Path cacheDir, String location) {
        return cacheDir.resolve("catalog-" + Checksums.fingerprint(location));
    }

    /** The repository of an environment's backups. */
    public Repository repository(String environment) {
        return repositories.of(environment);
    }

    /** The default location (MANAGE_DB_BACKUP_DIR), for messages. */
    public String location() {
        return repositories.defaultRepository().location();
    }

    /**
     * A backup named on the command line: the path as given (relative to {@code workDir}) when it exists, an
     * {@code s3://bucket/prefix/name} URL, else that name in the environment's repository (when it is there).
     */
    public StoredBackup locate(String name, Path workDir, Environment env) {
        if (S3Location.isUrl(name)) {
            int slash = name.lastIndexOf('/');
            return new StoredBackup(repositories.at(name.substring(0, slash + 1)), name.substring(slash + 1));
        }
        Path given = workDir.resolve(name);
        if (Files.exists(given) || Path.of(name).isAbsolute()) {
            return StoredBackup.of(given);
        }
        Repository repo = repository(env == null ? null : env.name());
        try {
            if (!name.contains("/") && repo.exists(name)) {
                return new StoredBackup(repo, name);
            }
        } catch (IOException e) {
            throw ManageDbException.failed("cannot read " + repo.address(name) + ": " + e.getMessage(), e);
        }
        return StoredBackup.of(given);
    }

    /** Everything the default repository holds that is or looks like a backup, newest first. */
    public List<BackupEntry> entries() {
        return entries(repositories.defaultRepository());
    }

    /**
     * Everything in a repository that is or looks like a backup, newest first. The manifests are the backups'
     * summaries: every field but the row counts (read a backup's own manifest with {@link Manifests#read} for
     * those). A manifest counts as readable only once parsed in full; what {@link ManifestIndex} keeps of one is used
     * only while the file is unchanged.
     */
    public List<BackupEntry> entries(Repository repo) {
        List<BackupEntry> entries = unsorted(repo);
        entries.sort(NEWEST_FIRST);
        return entries;
    }

    /** Newest first: by creation time, then by name (both descending). */
    private static final Comparator<BackupEntry> NEWEST_FIRST = (a, b) -> {
        // not Comparator.comparing(...).reversed().thenComparing(...): sorting 10,000 entries on a cold JVM
        int byTime = b.createdAt().compareTo(a.createdAt());
        return byTime != 0 ? byTime : b.name().compareTo(a.name());
    };

    private List<BackupEntry> unsorted(Repository repo) {
        // the index is read while the repository is listed: each is about half of a listing of thousands
        Path indexFile = indexOf == null ? null : indexOf.apply(repo);
        CompletableFuture<ManifestIndex> loading = CompletableFuture.supplyAsync(() -> ManifestIndex.load(indexFile));
        Map<String, Repository.Item> files = new HashMap<>();
        try {
            for (Repository.Item item : repo.list()) {
                files.put(item.name(), item);
            }
        } catch (IOException e) {
            throw ManageDbException.config("cannot list " + repo.location() + ": " + e.getMessage());
        }
        ManifestIndex index = Async.join(loading);
        List<BackupEntry> entries = new ArrayList<>();
        // each item in a method of its own: a loop body run thousands of times in one call stays interpreted
        for (Repository.Item item : files.values()) {
            BackupEntry entry = entry(repo, item, files, index);
            if (entry != null) {
                entries.add(entry);
            }
        }
        index.saveIfChanged();
        return entries;
    }

    /** What an item of the repository is, or null for a manifest beside its backup and for other files. */
    private static BackupEntry entry(Repository repo, Repository.Item info, Map<String, Repository.Item> files,
                                     ManifestIndex index) {
        String name = info.name();
        if (name.endsWith(".partial")) {
            return new BackupEntry(repo.address(name), name, "partial", null, info.size(), info.modified());
        }
        if (name.endsWith(StoredBackup.MANIFEST_SUFFIX)) {
            String backupName = name.substring(0, name.length() - StoredBackup.MANIFEST_SUFFIX.length());
            return files.containsKey(backupName) ? null : manifestOnly(repo, backupName, info, index);
        }
        if (looksLikeBackup(name, info)) {
            Repository.Item manifest = files.get(name.concat(StoredBackup.MANIFEST_SUFFIX));
            return withManifest(repo, name, info, manifest, index);
        }
        return null;
    }

    /** A manifest's summary: from the index while the file is unchanged, else parsed in full (and indexed). */
    private static Manifest summary(Repository repo, String name, Repository.Item info, ManifestIndex index)
            throws IOException {
        FileStamp stamp = info.stamp();
        Manifest cached = index.lookup(name, stamp);
        if (cached != null) {
            return cached;
        }
        Path local = repo.localPath(name);
        byte[] bytes = local != null ? null : repo.readSmall(name);
        if (local == null && bytes == null) {
            throw new java.nio.file.NoSuchFileException(repo.address(name));
        }
        Manifest m = local != null ? Manifests.parse(local) : Manifests.parse(bytes);
        Manifest summary = new Manifest(m.manifestVersion(), m.file(), m.environment(), m.database(),
                m.serverVersion(), m.pgDumpVersion(), m.format(), m.scope(), m.sizeBytes(), m.sha256(), m.startedAt(),
                m.finishedAt(), m.durationSeconds(), m.schemaVersion(), m.toolVersion(), m.label(), m.safety(), null,
                m.encryption(), m.plaintextSha256());
        index.put(name, stamp, summary);
        return summary;
    }

    private static BackupEntry manifestOnly(Repository repo, String backupName, Repository.Item info,
                                            ManifestIndex index) {
        try {
            Manifest m = summary(repo, info.name(), info, index);
            return new BackupEntry(repo.address(backupName), backupName, "missing-file", m, 0, m.startedAt());
        } catch (IOException | RuntimeException e) {
            return new BackupEntry(repo.address(info.name()), info.name(), "bad-manifest", null, 0,
                    java.time.Instant.EPOCH);
        }
    }

    private static boolean looksLikeBackup(String name, Repository.Item info) {
        if (!info.directory() && name.endsWith(BackupKeys.SUFFIX)) {
            name = name.substring(0, name.length() - BackupKeys.SUFFIX.length());
        }
        return info.directory() ? name.endsWith(".dir")
                : name.endsWith(".dump") || name.endsWith(".sql.gz") || name.endsWith(".sql") || name.endsWith(".backup");
    }

    private static BackupEntry withManifest(Repository repo, String name, Repository.Item info,
                                            Repository.Item manifest, ManifestIndex index) {
        String path = repo.address(name);
        if (manifest == null) {
            return new BackupEntry(path, name, "no-manifest", null, info.size(), info.modified());
        }
        try {
            // not Manifests.of: its class starts Jackson, needed only when a manifest is parsed
            Manifest m = summary(repo, manifest.name(), manifest, index);
            return new BackupEntry(path, name, "ok", m, m.sizeBytes(), m.startedAt());
        } catch (IOException | RuntimeException e) {
            if (e instanceof ManageDbException m && m.exitCode() != ExitCode.FAILED) {
                throw m; // the store itself failed (credentials, endpoint): not a bad manifest
            }
            return new BackupEntry(path, name, "bad-manifest", null, info.size(), info.modified());
        }
    }

    /** Good backups of one environment's database (in its repository), newest first. */
    public List<BackupEntry> good(String environment, String database) {
        return entries(repository(environment)).stream().filter(e -> goodOf(e, environment, database)).toList();
    }

    /** Whether an entry is a good backup whose manifest names this environment and database. */
    private static boolean goodOf(BackupEntry e, String environment, String database) {
        return e.good() && e.manifest().environment().equals(environment) && e.manifest().database().equals(database);
    }

    /**
     * An environment's share of {@link #entries()}: the backups whose manifest names it, and those without a readable
     * manifest whose file name says they are its database's; {@code others} counts the rest of the directory.
     */
    public Selection entries(Environment env) {
        List<BackupEntry> all = entries(repository(env.name()));
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
        String name = env.name();
        String database = env.target().database();
        BackupEntry newest = null;
        // one pass for the first entry newest-first order would give: no sort of thousands
        for (BackupEntry e : unsorted(repository(name))) {
            if (goodOf(e, name, database) && !e.manifest().safety() && "full".equals(e.manifest().scope())
                    && (newest == null || NEWEST_FIRST.compare(e, newest) < 0)) {
                newest = e;
            }
        }
        return Optional.ofNullable(newest);
    }

    /** {@link #latest}, or a usage error (exit 2) saying that there is none. */
    public StoredBackup requireLatest(Environment env) {
        Repository repo = repository(env.name());
        return latest(env).map(e -> new StoredBackup(repo, e.name()))
                .orElseThrow(() -> new ManageDbException(ExitCode.USAGE, "no good full backup of "
                        + env.name() + " (database " + env.target().database() + ") in " + repo.location()));
    }

    /** A backup named on the command line: {@code latest} (see {@link #requireLatest}) or a file ({@link #locate}). */
    public StoredBackup resolve(String fileOrLatest, Environment env, Path workDir) {
        return fileOrLatest.equals("latest") ? requireLatest(env) : locate(fileOrLatest, workDir, env);
    }
}
