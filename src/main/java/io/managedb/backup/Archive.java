package io.managedb.backup;

import io.managedb.files.Checksums;
import io.managedb.files.Trees;
import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.pg.LineOutput;
import io.managedb.pg.PgRestoreArgs;
import io.managedb.pg.PgTool;
import io.managedb.pg.PgTools;
import io.managedb.pg.ProcessResult;
import io.managedb.pg.ProcessSpec;
import io.managedb.storage.Repository;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stored backup (a custom file, a plain {@code .sql}/{@code .sql.gz} file, or a directory archive, in a directory
 * or a bucket) with its manifest when it has one. A single-file backup is read as a stream wherever it is: an
 * encrypted one (an age file, {@code .age}) is decrypted on the way with {@code keys}, never to disk, and one in
 * object storage reaches pg_restore's stdin straight from the bucket. A directory archive in a bucket is fetched
 * into a private temporary directory first (pg_restore reads a directory archive only from disk), removed by
 * {@link #close()}.
 */
public final class Archive implements AutoCloseable {
    /** A TABLE DATA line of {@code pg_restore --list}: dump id; catalog, oid (0 and the table's); the type. */
    private static final Pattern TABLE_DATA = Pattern.compile("^(\\d+); \\d+ \\d+ TABLE DATA ");

    private final StoredBackup source;
    private final BackupFormat format;
    private final Manifest manifest;
    private final boolean encrypted;
    private final BackupKeys keys;
    private Path fetched;

    /**
     * @param encrypted whether the file is an age file (by its manifest or its first bytes)
     * @param keys      what decrypts it
     */
    public Archive(StoredBackup source, BackupFormat format, Manifest manifest, boolean encrypted, BackupKeys keys) {
        this.source = Objects.requireNonNull(source, "source");
        this.format = Objects.requireNonNull(format, "format");
        this.manifest = manifest;
        this.encrypted = encrypted;
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    public Archive(Path path, BackupFormat format, Manifest manifest) {
        this(StoredBackup.of(path), format, manifest, false, BackupKeys.NONE);
    }

    /** Opens a backup that is not encrypted, or without the means to decrypt it. */
    public static Archive open(Path path) {
        return open(path, BackupKeys.NONE);
    }

    public static Archive open(Path path, BackupKeys keys) {
        return open(StoredBackup.of(path), keys);
    }

    /** Opens a backup; a missing one is a usage error, an unreadable manifest a failed check. */
    public static Archive open(StoredBackup backup, BackupKeys keys) {
        boolean tree;
        try {
            if (!backup.repository().exists(backup.name())) {
                throw new ManageDbException(ExitCode.USAGE, "no such backup: " + backup.address());
            }
            tree = backup.repository().isTree(backup.name());
        } catch (IOException e) {
            throw new ManageDbException(ExitCode.CHECK_FAILED, "cannot read " + backup.address() + ": "
                    + e.getMessage(), e);
        }
        Manifest manifest;
        try {
            manifest = Manifests.read(backup);
        } catch (ManageDbException e) {
            throw new ManageDbException(ExitCode.CHECK_FAILED, e.getMessage(), e);
        }
        Archive probe = new Archive(backup, tree ? BackupFormat.DIRECTORY : BackupFormat.CUSTOM, manifest, false, keys);
        boolean encrypted = manifest != null ? manifest.encrypted() : !tree && probe.startsAge();
        BackupFormat format = manifest != null ? manifest.backupFormat() : tree ? BackupFormat.DIRECTORY
                : new Archive(backup, BackupFormat.CUSTOM, null, encrypted, keys).detect();
        return new Archive(backup, format, manifest, encrypted, keys);
    }

    public StoredBackup source() { return source; }

    /** Its path or URL, for messages and output. */
    public String address() {
        return source.address();
    }

    /** Its name in its directory or bucket prefix. */
    public String name() {
        return source.name();
    }

    public BackupFormat format() { return format; }

    public Manifest manifest() { return manifest; }

    public boolean encrypted() { return encrypted; }

    public BackupKeys keys() { return keys; }

    /** Whether pg_restore can seek in it (a local file or directory, not encrypted): needed for --jobs. */
    public boolean seekable() {
        return !encrypted && (source.localPath() != null || format == BackupFormat.DIRECTORY);
    }

    /**
     * The version of a stored object whose bytes matched the manifest's SHA-256 (its ETag), once they have: every
     * later read of it asks the store for that version, so that the archive need not be hashed again before its
     * bytes reach a tool. Null for a local file (its {@link io.managedb.files.FileStamp} says whether it changed),
     * and where the store names no version.
     */
    private volatile String checkedVersion;

    /** The stored bytes of a single-file backup: only the version that was checked, once one was. */
    InputStream openRaw() throws IOException {
        return source.repository().open(source.name(), checkedVersion);
    }

    /** Whether every later read gets the very bytes that matched the manifest (a stored object's checked version). */
    boolean pinned() {
        return checkedVersion != null;
    }

    private boolean startsAge() {
        try (InputStream in = openRaw()) {
            return BackupKeys.isAge(in.readNBytes(BackupKeys.AGE_MAGIC.length));
        } catch (IOException e) {
            throw new ManageDbException(ExitCode.CHECK_FAILED, "cannot read " + address() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The format of a file without a manifest, by its first bytes (decrypted when it is an age file; without an
     * identity, by its name: {@code .sql.age}/{@code .sql.gz.age} are plain, anything else custom).
     */
    private BackupFormat detect() {
        if (encrypted && !keys.canDecrypt()) {
            String name = name();
            return name.endsWith(".sql.age") || name.endsWith(".sql.gz.age") ? BackupFormat.PLAIN : BackupFormat.CUSTOM;
        }
        try (InputStream raw = openRaw(); InputStream in = plaintext(raw)) {
            byte[] head = in.readNBytes(5);
            if (head.length == 5 && new String(head, StandardCharsets.US_ASCII).equals("PGDMP")) {
                return BackupFormat.CUSTOM;
            }
            return BackupFormat.PLAIN;
        } catch (IOException e) {
            throw new ManageDbException(ExitCode.CHECK_FAILED, encrypted
                    ? "backup " + address() + " does not decrypt: its age stream is damaged or truncated ("
                    + e.getMessage() + ")" : "cannot read " + address() + ": " + e.getMessage(), e);
        }
    }

    /** The plaintext of the raw (stored) bytes: decrypted when the backup is encrypted. */
    InputStream plaintext(InputStream raw) {
        return encrypted ? keys.decrypt(raw, address()) : raw;
    }

    /** Whether the archive can be read through: not encrypted, or encrypted with an identity configured. */
    public boolean decryptable() {
        return !encrypted || keys.canDecrypt();
    }

    public boolean gzipped() {
        if (format != BackupFormat.PLAIN) {
            return false;
        }
        try (InputStream in = plaintext(openRaw())) {
            return in.read() == 0x1f && in.read() == 0x8b;
        } catch (IOException e) {
            return false;
        }
    }

    /** The archive's content as SQL text (plain format only): decompressed when gzipped. */
    public InputStream openSql() throws IOException {
        InputStream in = plaintext(openRaw());
        return gzipped() ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /**
     * A directory archive as a local directory: where it is, or (from a bucket) a private temporary copy made once
     * and removed by {@link #close()}.
     */
    synchronized Path directory() {
        Path local = source.localPath();
        if (local != null) {
            return local;
        }
        if (fetched == null) {
            try {
                Path tmp = source.repository().temporaryDirectory("manage-db-fetch-");
                fetched = tmp.resolve(name());
                Files.createDirectory(fetched);
                source.repository().fetchTree(name(), fetched);
            } catch (IOException e) {
                throw new ManageDbException(ExitCode.CHECK_FAILED, "cannot fetch " + address() + ": "
                        + e.getMessage(), e);
            }
        }
        return fetched;
    }

    /** Removes the local copy of a directory archive fetched from a bucket. */
    @Override
    public synchronized void close() {
        if (fetched != null) {
            Trees.deleteRecursively(fetched.getParent());
            fetched = null;
        }
    }

    /** Checks the size against the manifest (exit 7 on a mismatch): instant, catches truncation. */
    public void checkSize() {
        if (manifest == null) {
            return;
        }
        try {
            long size = source.repository().size(name());
            if (size != manifest.sizeBytes()) {
                throw new ManageDbException(ExitCode.CHECK_FAILED, "backup " + address() + " has " + size
                        + " bytes but its manifest says " + manifest.sizeBytes() + " (truncated or changed)");
            }
        } catch (IOException e) {
            throw new ManageDbException(ExitCode.CHECK_FAILED, "cannot read " + address() + ": " + e.getMessage(), e);
        }
    }

    /** Checks size and SHA-256 against the manifest (exit 7 on a mismatch); does nothing without a manifest. */
    public void checkChecksum() {
        if (manifest == null) {
            return;
        }
        checkSize();
        try {
            String sha;
            String version = null;
            if (format == BackupFormat.DIRECTORY) {
                sha = Checksums.of(directory());
            } else {
                MessageDigest digest = Checksums.sha256();
                // read as it is now (or as the version checked before), and the version its store names kept
                Repository.Opened opened = checkedVersion != null ? new Repository.Opened(openRaw(), checkedVersion)
                        : source.repository().openVersion(source.name());
                try (InputStream in = opened.in()) {
                    Checksums.update(digest, in);
                }
                sha = HexFormat.of().formatHex(digest.digest());
                version = opened.version();
            }
            if (!sha.equals(manifest.sha256())) {
                throw new ManageDbException(ExitCode.CHECK_FAILED, "backup " + address()
                        + " does not match the SHA-256 in its manifest (corrupted or changed)");
            }
            if (version != null) {
                checkedVersion = version;
            }
        } catch (IOException e) {
            throw new ManageDbException(ExitCode.CHECK_FAILED, "cannot read " + address() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks that the local tools can read the whole archive, every data block: {@code pg_restore -f /dev/null} for
     * custom and directory archives (not {@code --list}, which reads only the table of contents and passes a file
     * cut short); for plain ones {@link PlainFile#check}: the whole (gzip) stream read once, its SHA-256 compared
     * with the manifest, every statement vetted, pg_dump's completion line present. Exit 7 when not.
     */
    public void checkReadable(PgTools tools) {
        if (format == BackupFormat.PLAIN) {
            PlainFile.check(this);
            return;
        }
        runPgRestore(tools, PgRestoreArgs.readAll());
    }

    /**
     * For a backup just written (and hashed on the way): pg_restore reads its table of contents, or, for plain, the
     * whole stream and pg_dump's completion line (an encrypted one decrypted on the way). Exit 7 when not.
     */
    void checkWritten(PgTools tools) {
        if (format == BackupFormat.PLAIN) {
            PlainFile.checkComplete(this);
            return;
        }
        runPgRestore(tools, PgRestoreArgs.list());
    }

    /** The path pg_restore is given, or null when the archive reaches its stdin as a stream. */
    Path pgRestorePath() {
        if (format == BackupFormat.DIRECTORY) {
            return directory();
        }
        return encrypted ? null : source.localPath();
    }

    private void runPgRestore(PgTools tools, PgRestoreArgs args) {
        Path path = pgRestorePath();
        ProcessSpec spec = ProcessSpec.of(tools.command(PgTool.PG_RESTORE, args.archive(path).toList()),
                tools.localEnvironment()).stdoutTo(OutputStream.nullOutputStream());
        PlaintextFeed feed = path == null ? new PlaintextFeed(this) : null;
        ProcessResult r = feed == null ? tools.runner().runUnchecked(spec)
                : feed.around(() -> tools.runner().runUnchecked(spec.stdinFrom(feed)));
        if (r.exitCode() != 0) {
            String why = r.stderrTail().isEmpty() ? "exit status " + r.exitCode()
                    : r.stderrTail().get(r.stderrTail().size() - 1).strip();
            throw new ManageDbException(ExitCode.CHECK_FAILED, "backup " + address() + " is not readable by "
                    + tools.path(PgTool.PG_RESTORE) + ": " + why);
        }
    }

    /**
     * How many tables the manifest recorded rows of: the progress total of an archive streamed to pg_restore, whose
     * table of contents is not listed first; 0 when unknown.
     */
    public int recordedTables() {
        return manifest != null && manifest.rowCounts() != null ? manifest.rowCounts().size() : 0;
    }

    /**
     * The dump ids of a custom or directory archive's TABLE DATA entries, from {@code pg_restore --list} read line by
     * line (a table of contents of any size); empty for an archive that pg_restore reads from a stream, and as far as
     * it could be read for one it cannot read.
     */
    public Set<Integer> tableDataIds(PgTools tools) {
        Path path = format == BackupFormat.PLAIN ? null : pgRestorePath();
        Set<Integer> ids = new HashSet<>();
        if (path == null) {
            return ids;
        }
        LineOutput lines = new LineOutput(line -> {
            Matcher m = TABLE_DATA.matcher(line);
            if (m.find()) {
                ids.add(Integer.parseInt(m.group(1)));
            }
        });
        // unreadable: the restore that asked fails on its own, and says why
        tools.runner().runUnchecked(ProcessSpec.of(tools.command(PgTool.PG_RESTORE,
                PgRestoreArgs.list().archive(path).toList()), tools.localEnvironment()).stdoutTo(lines));
        lines.close();
        return ids;
    }
}
