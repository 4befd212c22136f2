package io.managedb.backup;

import io.managedb.pg.DumpScope;
import io.managedb.files.Trees;
import io.managedb.files.Checksums;
import io.managedb.files.PrivateFiles;
import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.core.Progress;
import io.managedb.config.Environment;
import io.managedb.config.Target;
import io.managedb.db.Catalog;
import io.managedb.db.Connections;
import io.managedb.db.ExportedSnapshot;
import io.managedb.db.TargetLock;
import io.managedb.pg.ChildEnvironment;
import io.managedb.pg.PgDumpArgs;
import io.managedb.pg.PgTool;
import io.managedb.pg.PgTools;
import io.managedb.pg.ProcessRunner;
import io.managedb.pg.ProcessSpec;
import io.managedb.storage.Repositories;
import io.managedb.storage.Repository;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.Objects;

/**
 * Takes backups that can be trusted, into the environment's repository (a directory or a bucket prefix, see
 * {@link Repository}): pg_dump's output is streamed there while its SHA-256 is computed on the way (a directory under
 * a {@code .partial} name, a bucket as a multipart upload that is invisible until complete); the exit status is
 * checked, the table of contents read back with {@code pg_restore --list}; the backup is published under its final
 * name and its manifest written last, created only if absent: the manifest is the commit marker. A failed or killed
 * backup leaves nothing that counts as good, and the next backup of the same database removes what it left.
 */
public final class BackupService {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern DUMPING = Pattern.compile("dumping contents of table");

    private final PgTools tools;
    private final Repositories repositories;
    private final String toolVersion;
    private final Clock clock;
    private final BackupKeys keys;

    /**
     * @param backupDir   where generated backup names go (MANAGE_DB_BACKUP_DIR)
     * @param toolVersion manage-db's version, recorded in manifests
     */
    public BackupService(PgTools tools, Path backupDir, String toolVersion) {
        this(tools, backupDir, toolVersion, Clock.systemUTC());
    }

    /** As above, with the clock that names backups and times them (a fixed one in tests). */
    public BackupService(PgTools tools, Path backupDir, String toolVersion, Clock clock) {
        this(tools, Repositories.local(backupDir), toolVersion, clock, BackupKeys.NONE);
    }

    /**
     * Backups into each environment's repository; with recipients in {@code keys}, every backup is age-encrypted to
     * them while it streams (no plaintext reaches the disk or the bucket), and the identity, when there is one, reads
     * it back.
     */
    public BackupService(PgTools tools, Repositories repositories, String toolVersion, Clock clock, BackupKeys keys) {
        this.tools = Objects.requireNonNull(tools, "tools");
        this.repositories = Objects.requireNonNull(repositories, "repositories");
        this.toolVersion = toolVersion;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** The keys backups are encrypted (and read back) with. */
    public BackupKeys keys() {
        return keys;
    }

    /** Backs up an environment's database, holding its target lock for the duration. */
    public BackupResult backup(Environment env, BackupOptions options, Progress progress) {
        return backup(env, options, progress, null);
    }

    /**
     * Backs up an environment's database.
     *
     * @param held the target lock the caller holds (a safety backup inside a destructive operation), or null to take
     *             it for the duration
     */
    public BackupResult backup(Environment env, BackupOptions options, Progress progress, TargetLock held) {
        validate(options);
        if (keys.encrypts() && options.format() == BackupFormat.DIRECTORY) {
            throw new ManageDbException(ExitCode.USAGE, "backups are encrypted (MANAGE_DB_BACKUP_RECIPIENTS), and"
                    + " pg_dump writes a directory archive's files itself, in plaintext: use --format custom or"
                    + " plain");
        }
        if (held != null) {
            return take(env, options, progress);
        }
        try (TargetLock lock = TargetLock.acquire(env.target(), "backup", options.lockWait())) {
            return take(env, options, progress);
        }
    }

    private BackupResult take(Environment env, BackupOptions options, Progress progress) {
        Target target = env.target();
        Instant started = Instant.now(clock);
        try (Connection c = Connections.open(target)) {
            int serverVersionNum = Catalog.serverVersionNum(c);
            PgTools chosen = tools.forServer(serverVersionNum);
            if (chosen != tools) { // another installed client version fits this server better: use it throughout
                return new BackupService(chosen, repositories, toolVersion, clock, keys).take(env, options, progress);
            }
            StoredBackup backup = newBackup(env, options, started);
            try {
                Manifest m = options.format() == BackupFormat.DIRECTORY
                        ? writeTree(c, env, options, backup, progress) : writeFile(c, env, options, backup, progress);
                return new BackupResult(backup.address(), m.sizeBytes(), m.sha256(), m.durationSeconds(), env.name(),
                        target.database(), m.format(), options.label(), m);
            } catch (IOException e) {
                throw ManageDbException.failed("backup of " + env.name() + " failed: " + e.getMessage(), e);
            } finally {
                progress.done();
            }
        } catch (SQLException e) {
            throw Connections.translate(target, e);
        } catch (IOException e) {
            throw ManageDbException.failed("cannot prepare the backup of " + env.name() + ": " + e.getMessage(), e);
        }
    }

    /** A custom or plain backup: pg_dump's stdout streamed into the repository. */
    private Manifest writeFile(Connection c, Environment env, BackupOptions options, StoredBackup backup,
                               Progress progress) throws SQLException, IOException {
        ProcessRunner runner = tools.runner();
        try (Repository.Upload upload = backup.repository().create(backup.name())) {
            Runnable abort = upload::abort;
            runner.onAbort(abort);
            try {
                Dumped dumped = dump(c, env, options, upload.stream(), null, progress);
                StoredBackup written = new StoredBackup(backup.repository(), upload.finish());
                return publish(c, env, options, backup, written, dumped, upload::publish);
            } finally {
                runner.removeOnAbort(abort);
            }
        }
    }

    /** A directory backup: pg_dump writes its files into a local directory, which the repository then takes. */
    private Manifest writeTree(Connection c, Environment env, BackupOptions options, StoredBackup backup,
                               Progress progress) throws SQLException, IOException {
        try (Repository.TreeUpload tree = backup.repository().createTree(backup.name())) {
            Path dir = tree.directory();
            tools.runner().deleteOnAbort(dir);
            try {
                Dumped dumped = dump(c, env, options, null, dir, progress);
                return publish(c, env, options, backup, StoredBackup.of(dir), dumped, tree::commit);
            } finally {
                tools.runner().release(dir);
            }
        }
    }

    private interface Step {
        void run() throws IOException;
    }

    /** Reads what was written back, publishes the data, then writes the manifest: the commit marker, last. */
    private Manifest publish(Connection c, Environment env, BackupOptions options, StoredBackup backup,
                             StoredBackup written, Dumped dumped, Step publishData) throws SQLException, IOException {
        readBack(written, options.format(), dumped);
        Manifest manifest = manifest(c, env, options, backup, dumped);
        publishData.run();
        commit(backup, manifest);
        return manifest;
    }

    private Manifest manifest(Connection c, Environment env, BackupOptions options, StoredBackup backup,
                              Dumped dumped) throws SQLException {
        Instant started = dumped.started();
        Instant finished = Instant.now(clock);
        return new Manifest(Manifest.VERSION, backup.name(), env.name(), env.target().database(),
                Catalog.serverVersion(c), tools.version(PgTool.PG_DUMP).version(), options.format().id(),
                options.scope().id(), dumped.size(), dumped.sha256(), started, finished,
                Duration.between(started, finished).toMillis() / 1000.0, dumped.schemaVersion(), toolVersion,
                options.label(), options.safety(), dumped.rowCounts(),
                keys.encrypts() ? new Manifest.Encryption("age", keys.fingerprints()) : null, dumped.plaintextSha256());
    }

    /**
     * Writes the manifest, the commit marker, only if none exists (in a bucket: a conditional PUT). When it cannot be
     * written the published backup is deleted again: a backup without its manifest never stays behind.
     */
    private static void commit(StoredBackup backup, Manifest manifest) throws IOException {
        boolean created;
        try {
            created = backup.repository().createOnce(backup.manifestName(), Manifests.bytes(manifest));
        } catch (IOException | RuntimeException e) {
            backup.repository().delete(backup.name());
            if (e instanceof IOException io) {
                throw new IOException("cannot write the manifest of " + backup.name() + ": " + io.getMessage()
                        + "; the backup was not kept", io);
            }
            throw e;
        }
        if (!created) {
            throw new IOException("another manifest " + backup.manifestName() + " appeared meanwhile; this backup"
                    + " is not published");
        }
    }

    private static void validate(BackupOptions o) {
        if (o.label() != null && !LABEL.matcher(o.label()).matches()) {
            throw new ManageDbException(ExitCode.USAGE, "invalid label '" + o.label()
                    + "': use letters, digits, '.', '_' and '-' (at most 64)");
        }
        if (o.jobs() > 1 && o.format() != BackupFormat.DIRECTORY) {
            throw new ManageDbException(ExitCode.USAGE, "--jobs needs --format directory (pg_dump dumps in parallel"
                    + " only into a directory)");
        }
        if (o.compress() != null && (o.compress() < 0 || o.compress() > 9)) {
            throw new ManageDbException(ExitCode.USAGE, "--compress must be between 0 and 9");
        }
    }

    /** What the dump produced. */
    private record Dumped(long size, String sha256, String schemaVersion, Map<String, Long> rowCounts,
                          String plaintextSha256, byte[] head, Instant started) {
    }

    /**
     * Runs pg_dump: into {@code sink} (custom, plain) or into the directory {@code dir} (directory format, which
     * pg_dump writes itself).
     */
    private Dumped dump(Connection c, Environment env, BackupOptions o, OutputStream sink, Path dir,
                        Progress progress) throws SQLException, IOException {
        Instant started = Instant.now(clock);
        String schemaVersion = Catalog.flywayVersion(c);
        int tableCount = Catalog.tables(c).size();
        // one snapshot for pg_dump and for the row counts recorded in the manifest (counted on c meanwhile)
        try (ExportedSnapshot snapshot = ExportedSnapshot.begin(c, o.scope() != DumpScope.SCHEMA_ONLY)) {
            Dumped d = dump(snapshot, env, o, sink, dir, progress, schemaVersion, tableCount);
            return new Dumped(d.size(), d.sha256(), d.schemaVersion(), d.rowCounts(), d.plaintextSha256(), d.head(),
                    started);
        }
    }

    private Dumped dump(ExportedSnapshot snapshot, Environment env, BackupOptions o, OutputStream sink, Path partial,
                        Progress progress, String schemaVersion, int tableCount) throws IOException {
        AtomicInteger tablesDone = new AtomicInteger();
        List<String> args = dumpArgs(o, snapshot.id(), partial);
        Checksums.HashingOutputStream hashing = null;
        Checksums.HashingOutputStream cipher = null;
        try (ChildEnvironment childEnv = tools.environment(env.target())) {
            if (o.format() == BackupFormat.DIRECTORY) {
                // pg_dump writes the files itself: their sizes are what has been written so far
                Runnable show = () -> progress.update("tables " + tablesDone.get() + "/" + tableCount + ", "
                        + Progress.megabytes(sizeSoFar(partial)) + " written");
                try (ProgressTicker ticker = ProgressTicker.start(show)) {
                    tools.runner().run(ProcessSpec.of(tools.command(PgTool.PG_DUMP, args), childEnv.variables())
                            .onStderrLine(line -> tableStarted(line, tablesDone, show)));
                }
            } else {
                OutputStream file = sink;
                // encrypted: pg_dump → hash of the plaintext → age → hash of the ciphertext → repository
                Checksums.HashingOutputStream stored = new Checksums.HashingOutputStream(file);
                cipher = keys.encrypts() ? stored : null;
                OutputStream encrypting = keys.encrypts()
                        ? new BufferedOutputStream(keys.encrypt(stored), 1 << 16) : null;
                Checksums.HashingOutputStream out = keys.encrypts()
                        ? new Checksums.HashingOutputStream(encrypting) : stored;
                hashing = out;
                // bytes are counted as pg_dump writes them; the ticker reports them inside a large table too
                Runnable show = () -> progress.update("tables " + tablesDone.get() + "/" + tableCount + ", "
                        + Progress.megabytes(out.count()) + " written");
                try (ProgressTicker ticker = ProgressTicker.start(show)) {
                    tools.runner().run(ProcessSpec.of(tools.command(PgTool.PG_DUMP, args), childEnv.variables())
                            .stdoutTo(out).onStderrLine(line -> tableStarted(line, tablesDone, show)));
                }
                out.flush();
                if (encrypting != null) {
                    encrypting.close(); // age's last chunk; the sink stays open
                }
                file.flush();
            }
        }
        Map<String, Long> rowCounts = snapshot.rowCounts();
        if (cipher != null) {
            return new Dumped(cipher.count(), cipher.hex(), schemaVersion, rowCounts, hashing.hex(), hashing.head(),
                    null);
        }
        if (hashing != null) {
            return new Dumped(hashing.count(), hashing.hex(), schemaVersion, rowCounts, null, hashing.head(), null);
        }
        PrivateFiles.makePrivate(partial);
        PrivateFiles.syncTree(partial);
        return new Dumped(Checksums.size(partial), Checksums.of(partial), schemaVersion, rowCounts, null, null, null);
    }

    /** pg_dump's arguments for a backup: a directory archive is written by pg_dump itself, the others to stdout. */
    static List<String> dumpArgs(BackupOptions o, String snapshot, Path partial) {
        // plain backups are gzipped unless asked otherwise (pg_dump's own default for plain is none)
        Integer compress = o.compress() != null ? o.compress() : o.format() == BackupFormat.PLAIN ? Integer.valueOf(6)
                : null;
        return PgDumpArgs.format(o.format().dumpFormat()).verbose().snapshot(snapshot).compress(compress).jobs(o.jobs())
                .scope(o.scope())
                .file(o.format() == BackupFormat.DIRECTORY ? partial : null).toList();
    }

    private static void tableStarted(String pgDumpLine, AtomicInteger tablesDone, Runnable show) {
        if (DUMPING.matcher(pgDumpLine).find()) {
            tablesDone.incrementAndGet();
            show.run();
        }
    }

    /** The bytes of a directory archive being written (files may appear meanwhile). */
    private static long sizeSoFar(Path dir) {
        try {
            return Checksums.size(dir);
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    /**
     * Reads the archive back: pg_restore --list for custom and directory, a full gzip/trailer read for plain. An
     * encrypted one is decrypted on the way when the identity is configured; without it (a host that holds only
     * the public keys) only pg_dump's exit status and the plaintext's first bytes, seen on the way, are checked.
     */
    private void readBack(StoredBackup written, BackupFormat format, Dumped dumped) {
        if (!keys.encrypts()) {
            new Archive(written, format, null, false, BackupKeys.NONE).checkWritten(tools);
        } else if (keys.canDecrypt()) {
            new Archive(written, format, null, true, keys).checkWritten(tools);
        } else {
            byte[] head = dumped.head();
            boolean looksRight = format == BackupFormat.CUSTOM
                    ? head.length >= 5 && new String(head, 0, 5, java.nio.charset.StandardCharsets.US_ASCII)
                            .equals("PGDMP")
                    : head.length >= 2 && (head[0] == 0x1f && head[1] == (byte) 0x8b || head[0] == '-');
            if (!looksRight) {
                throw new ManageDbException(ExitCode.CHECK_FAILED, "pg_dump's output does not start like a "
                        + format.id() + " archive; the backup was not kept");
            }
        }
    }

    /**
     * Where the new backup goes: {@code --output} as given (a local path), else a generated name in the environment's
     * repository, after removing what interrupted backups of this database left there.
     */
    private StoredBackup newBackup(Environment env, BackupOptions o, Instant started) throws IOException {
        if (o.output() != null) {
            Path out = o.output().toAbsolutePath().normalize();
            if (Files.exists(out)) {
                throw new ManageDbException(ExitCode.USAGE, "output " + out + " already exists; nothing was written");
            }
            PrivateFiles.privateDirectory(out.getParent());
            StoredBackup backup = StoredBackup.of(out);
            Trees.deleteRecursively(out.resolveSibling(out.getFileName() + ".partial"));
            Trees.deleteRecursively(Manifests.partial(out));
            return backup;
        }
        Repository repo = repositories.of(env.name());
        String prefix = prefix(env.name(), env.target().database());
        // stale leftovers of this database: we hold its lock, so no other backup of it is running. Another database
        // whose name merely starts the same (app and app_x) is not touched
        Pattern mine = Pattern.compile(Pattern.quote(prefix) + "\\d{8}T\\d{6}Z.*");
        repo.removeStale(n -> mine.matcher(n).matches(), StoredBackup.MANIFEST_SUFFIX);
        String base = prefix + STAMP.format(started) + (o.label() == null ? "" : "_" + o.label());
        String ext = o.format().extension(o.compress()) + (keys.encrypts() ? BackupKeys.SUFFIX : "");
        String name = base + ext;
        for (int n = 2; repo.exists(name) || repo.exists(name + StoredBackup.MANIFEST_SUFFIX); n++) {
            name = base + "-" + n + ext;
        }
        return new StoredBackup(repo, name);
    }

    /** File name prefix of an environment's database's backups: {@code <env>_<database>_}. */
    public static String prefix(String environment, String database) {
        return environment + "_" + database.replaceAll("[^A-Za-z0-9._-]", "-") + "_";
    }
}
