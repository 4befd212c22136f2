package io.managedb.backup;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.files.FileStamp;
import io.managedb.pg.PgTools;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * An archive checked once before a restore, so that the restore reads it again only to restore it. A plain file is
 * read once here (SHA-256, every statement vetted, pg_dump's trailer) and vetted again as it streams. A custom or
 * directory archive: its size and SHA-256 against the manifest here. Every data block must be readable too: when
 * something is to happen before the restore that an unreadable archive should not cause (a safety backup), the
 * local pg_restore reads them all ({@code -f /dev/null}) in the background, and {@link #awaitReadable} waits for
 * that read and fails as it did (exit 7); otherwise the restore's own pg_restore is that read, and only when it
 * fails does {@link #afterFailure} read the archive to tell an unreadable one (exit 7) from another failure. Right
 * before pg_restore gets the first byte, {@link #requireUnchanged} hashes the file again only when its
 * {@link FileStamp} changed since it was hashed here.
 */
public final class ArchiveCheck implements AutoCloseable {
    private final Archive archive;
    private final FileStamp hashed;
    private final PlainFile.Checked plain;
    private final FutureTask<Void> readable;
    private final PgTools deferred;

    private ArchiveCheck(Archive archive, FileStamp hashed, PlainFile.Checked plain, FutureTask<Void> readable,
                         PgTools deferred) {
        this.archive = archive;
        this.hashed = hashed;
        this.plain = plain;
        this.readable = readable;
        this.deferred = deferred;
    }

    /** Nothing checked yet: the restore checks everything itself, as it reads (the checksum first). */
    public static ArchiveCheck none(Archive archive) {
        return new ArchiveCheck(archive, null, null, null, null);
    }

    /**
     * Checks the archive: a plain file in full; a custom or directory archive's size and SHA-256 (exit 7 on a
     * mismatch).
     *
     * @param readAhead read every data block now, in the background (close the check to stop it), rather than
     *                  through the restore itself: when something is done before the restore (a safety backup)
     */
    public static ArchiveCheck start(Archive archive, PgTools tools, boolean readAhead) {
        if (archive.format() == BackupFormat.PLAIN) {
            return new ArchiveCheck(archive, null, PlainFile.check(archive), null, null);
        }
        FutureTask<Void> readable = !readAhead ? null : new FutureTask<>(() -> {
            archive.checkReadable(tools);
            return null;
        });
        if (readable != null) {
            Thread reader = new Thread(readable, "manage-db-archive-check");
            reader.setDaemon(true);
            reader.start();
        }
        try {
            FileStamp before = stamp(archive);
            archive.checkChecksum();
            FileStamp after = stamp(archive);
            return new ArchiveCheck(archive, before != null && before.equals(after) ? after : null, null, readable,
                    readAhead ? null : tools);
        } catch (RuntimeException e) {
            if (readable != null) {
                readable.cancel(true);
            }
            throw e;
        }
    }

    /** A local file's identity; null for an archive in a bucket (hashed again when asked to be unchanged). */
    private static FileStamp stamp(Archive archive) {
        java.nio.file.Path path = archive.source().localPath();
        return path == null ? null : FileStamp.of(path);
    }

    public Archive archive() {
        return archive;
    }

    /** What the first read of a plain file found; null when it has not been read. */
    PlainFile.Checked plain() {
        return plain;
    }

    /** Size and SHA-256 again, unless the file is provably the one hashed by {@link #start}. */
    void requireUnchanged() {
        if (hashed == null || !hashed.equals(stamp(archive))) {
            archive.checkChecksum();
        }
    }

    /** Waits for the background read of every data block; rethrows its failure (exit 7). */
    public void awaitReadable() {
        if (readable == null) {
            return;
        }
        try {
            readable.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r
                    : ManageDbException.failed("checking " + archive.address() + " failed: " + e.getCause(), e.getCause());
        } catch (CancellationException e) {
            throw new ManageDbException(ExitCode.INTERRUPTED, "the check of " + archive.address() + " was stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            readable.cancel(true);
            throw new ManageDbException(ExitCode.INTERRUPTED, "interrupted while " + archive.address() + " was checked");
        }
    }

    /**
     * After a failed restore (or another refusal): an unreadable archive is the failure to report (exit 7), whether
     * the background read found it or, when the restore itself was the read, a read now does.
     */
    public void afterFailure() {
        if (readable != null) {
            awaitReadable();
        } else if (deferred != null) {
            archive.checkReadable(deferred);
        }
    }

    /** Stops the background read if it still runs (its pg_restore is killed). */
    @Override
    public void close() {
        if (readable != null) {
            readable.cancel(true);
        }
    }
}
