package io.managedb.backup;

import io.managedb.files.Checksums;
import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.pg.PgRestoreArgs;
import io.managedb.pg.PgTool;
import io.managedb.pg.PgTools;
import io.managedb.pg.ProcessResult;
import io.managedb.pg.ProcessSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * A backup on disk (a custom file, a plain {@code .sql}/{@code .sql.gz} file, or a directory) with its manifest when
 * it has one. An encrypted backup (an age file, {@code .age}) is decrypted as a stream with {@code keys}, never to
 * disk.
 *
 * @param encrypted whether the file is an age file (by its manifest or its first bytes)
 * @param keys      what decrypts it
 */
public record Archive(Path path, BackupFormat format, Manifest manifest, boolean encrypted, BackupKeys keys) {
    public Archive(Path path, BackupFormat format, Manifest manifest) {
        this(path, format, manifest, false, BackupKeys.NONE);
    }

    /** Opens a backup that is not encrypted, or without the means to decrypt it. */
    public static Archive open(Path path) {
        return open(path, BackupKeys.NONE);
    }

    /** Opens a backup; a missing path is a usage error, an unreadable manifest a failed check. */
    public static Archive open(Path path, BackupKeys keys) {
        if (!Files.exists(path)) {
            throw new ManageDbException(ExitCode.USAGE, "no such backup: " + path);
        }
        Manifest manifest;
        try {
            manifest = Manifests.read(path);
        } catch (ManageDbException e) {
            throw new ManageDbException(ExitCode.CHECK_FAILED, e.getMessage(), e);
        }
        boolean encrypted = manifest != null ? manifest.encrypted() : startsAge(path);
        BackupFormat format = manifest != null ? manifest.backupFormat() : detect(path, encrypted, keys);
        return new Archive(path, format, manifest, encrypted, keys);
    }

    private static boolean startsAge(Path path) {
        if (Files.isDirectory(path)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(path)) {
            return BackupKeys.isAge(in.readNBytes(BackupKeys.AGE_MAGIC.length));
        } catch (IOException e) {
            throw new ManageDbException(ExitCode.CHECK_FAILED, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * The format of a file without a manifest, by its first bytes (decrypted when it is an age file; without an
     * identity, by its name: {@code .sql.age}/{@code .sql.gz.age} are plain, anything else custom).
     */
    private static BackupFormat detect(Path path, boolean encrypted, BackupKeys keys) {
        if (Files.isDirectory(path)) {
            return BackupFormat.DIRECTORY;
        }
        if (encrypted && !keys.canDecrypt()) {
            String name = path.getFileName().toString();
            return name.endsWith(".sql.age") || name.endsWith(".sql.gz.age") ? BackupFormat.PLAIN : BackupFormat.CUSTOM;
        }
        try (InputStream raw = Files.newInputStream(path);
             InputStream in = encrypted ? keys.decrypt(raw, path.toString()) : raw) {
            byte[] head = in.readNBytes(5);
            if (head.length == 5 && new String(head, StandardCharsets.US_ASCII).equals("PGDMP")) {
                return BackupFormat.CUSTOM;
            }
            return BackupFormat.PLAIN;
        } catch (IOException e) {
            throw new ManageDbException(ExitCode.CHECK_FAILED, encrypted
                    ? "backup " + path + " does not decrypt: its age stream is damaged or truncated (" + e.getMessage()
                    + ")" : "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** The plaintext of the raw (stored) bytes: decrypted when the backup is encrypted. */
    InputStream plaintext(InputStream raw) {
        return encrypted ? keys.decrypt(raw, path.toString()) : raw;
    }

    /** Whether the archive can be read through: not encrypted, or encrypted with an identity configured. */
    public boolean decryptable() {
        return !encrypted || keys.canDecrypt();
    }

    public boolean gzipped() {
        if (format != BackupFormat.PLAIN || Files.isDirectory(path)) {
            return false;
        }
        try (InputStream in = plaintext(Files.newInputStream(path))) {
            return in.read() == 0x1f && in.read() == 0x8b;
        } catch (IOException e) {
            return false;
        }
    }

    /** The archive's content as SQL text (plain format only): decompressed when gzipped. */
    public InputStream openSql() throws IOException {
        InputStream in = plaintext(Files.newInputStream(path));
        return gzipped() ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /** Checks the size against the manifest (exit 7 on a mismatch): instant, catches truncation. */
    public void checkSize() {
        if (manifest == null) {
            return;
        }
        try {
            long size = Checksums.size(path);
            if (size != manifest.sizeBytes()) {
                throw new ManageDbException(ExitCode.CHECK_FAILED, "backup " + path + " has " + size
                        + " bytes but its manifest says " + manifest.sizeBytes() + " (truncated or changed)");
            }
        } catch (IOException e) {
            throw new ManageDbException(ExitCode.CHECK_FAILED, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Checks size and SHA-256 against the manifest (exit 7 on a mismatch); does nothing without a manifest. */
    public void checkChecksum() {
        if (manifest == null) {
            return;
        }
        checkSize();
        try {
            String sha = Checksums.of(path);
            if (!sha.equals(manifest.sha256())) {
                throw new ManageDbException(ExitCode.CHECK_FAILED, "backup " + path
                        + " does not match the SHA-256 in its manifest (corrupted or changed)");
            }
        } catch (IOException e) {
            throw new ManageDbException(ExitCode.CHECK_FAILED, "cannot read " + path + ": " + e.getMessage(), e);
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
        if (encrypted) {
            runPgRestore(tools, PgRestoreArgs.readAll().toList(), new PlaintextFeed(this));
            return;
        }
        runPgRestore(tools, PgRestoreArgs.readAll().archive(path).toList(), null);
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
        if (encrypted) {
            runPgRestore(tools, PgRestoreArgs.list().toList(), new PlaintextFeed(this));
            return;
        }
        runPgRestore(tools, PgRestoreArgs.list().archive(path).toList(), null);
    }

    private void runPgRestore(PgTools tools, List<String> args, PlaintextFeed feed) {
        ProcessSpec spec = ProcessSpec.of(tools.command(PgTool.PG_RESTORE, args), tools.localEnvironment())
                .stdoutTo(java.io.OutputStream.nullOutputStream());
        ProcessResult r = feed == null ? tools.runner().runUnchecked(spec)
                : feed.around(() -> tools.runner().runUnchecked(spec.stdinFrom(feed)));
        if (r.exitCode() != 0) {
            String why = r.stderrTail().isEmpty() ? "exit status " + r.exitCode()
                    : r.stderrTail().get(r.stderrTail().size() - 1).strip();
            throw new ManageDbException(ExitCode.CHECK_FAILED, "backup " + path + " is not readable by "
                    + tools.path(PgTool.PG_RESTORE) + ": " + why);
        }
    }

    /** How many tables have data in the archive (TABLE DATA entries), for progress; 0 when unknown. */
    public int tableDataEntries(PgTools tools) {
        if (format == BackupFormat.PLAIN || encrypted) {
            return manifest != null && manifest.rowCounts() != null ? manifest.rowCounts().size() : 0;
        }
        ProcessResult r = tools.runner().runUnchecked(ProcessSpec.of(
                tools.command(PgTool.PG_RESTORE, PgRestoreArgs.list().archive(path).toList()), tools.localEnvironment()));
        return (int) r.stdout().lines().filter(l -> l.contains(" TABLE DATA ")).count();
    }
}
