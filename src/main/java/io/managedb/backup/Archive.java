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
 * it has one.
 */
public record Archive(Path path, BackupFormat format, Manifest manifest) {
    /** Opens a backup; a missing path is a usage error, an unreadable manifest a failed check. */
    public static Archive open(Path path) {
        if (!Files.exists(path)) {
            throw new ManageDbException(ExitCode.USAGE, "no such backup: " + path);
        }
        Manifest manifest;
        try {
            manifest = Manifests.read(path);
        } catch (ManageDbException e) {
            throw new ManageDbException(ExitCode.CHECK_FAILED, e.getMessage(), e);
        }
        BackupFormat format = manifest != null ? manifest.backupFormat() : detect(path);
        return new Archive(path, format, manifest);
    }

    private static BackupFormat detect(Path path) {
        if (Files.isDirectory(path)) {
            return BackupFormat.DIRECTORY;
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(5);
            if (head.length == 5 && new String(head, StandardCharsets.US_ASCII).equals("PGDMP")) {
                return BackupFormat.CUSTOM;
            }
            return BackupFormat.PLAIN;
        } catch (IOException e) {
            throw new ManageDbException(ExitCode.CHECK_FAILED, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    public boolean gzipped() {
        if (format != BackupFormat.PLAIN || Files.isDirectory(path)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(path)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        } catch (IOException e) {
            return false;
        }
    }

    /** The archive's content as SQL text (plain format only): decompressed when gzipped. */
    public InputStream openSql() throws IOException {
        InputStream in = Files.newInputStream(path);
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
        runPgRestore(tools, PgRestoreArgs.readAll().archive(path).toList());
    }

    /**
     * For a backup just written (and hashed on the way): pg_restore reads its table of contents, or, for plain, the
     * whole stream and pg_dump's completion line. Exit 7 when not.
     */
    void checkWritten(PgTools tools) {
        if (format == BackupFormat.PLAIN) {
            PlainFile.checkComplete(this);
            return;
        }
        runPgRestore(tools, PgRestoreArgs.list().archive(path).toList());
    }

    private void runPgRestore(PgTools tools, List<String> args) {
        ProcessResult r = tools.runner().runUnchecked(ProcessSpec.of(
                tools.command(PgTool.PG_RESTORE, args), tools.localEnvironment())
                .stdoutTo(java.io.OutputStream.nullOutputStream()));
        if (r.exitCode() != 0) {
            String why = r.stderrTail().isEmpty() ? "exit status " + r.exitCode()
                    : r.stderrTail().get(r.stderrTail().size() - 1).strip();
            throw new ManageDbException(ExitCode.CHECK_FAILED, "backup " + path + " is not readable by "
                    + tools.path(PgTool.PG_RESTORE) + ": " + why);
        }
    }

    /** How many tables have data in the archive (TABLE DATA entries), for progress; 0 when unknown. */
    public int tableDataEntries(PgTools tools) {
        if (format == BackupFormat.PLAIN) {
            return manifest != null && manifest.rowCounts() != null ? manifest.rowCounts().size() : 0;
        }
        ProcessResult r = tools.runner().runUnchecked(ProcessSpec.of(
                tools.command(PgTool.PG_RESTORE, PgRestoreArgs.list().archive(path).toList()), tools.localEnvironment()));
        return (int) r.stdout().lines().filter(l -> l.contains(" TABLE DATA ")).count();
    }
}
