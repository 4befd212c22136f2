package io.managedb.backup;

import io.managedb.core.ExitCode;
import io.managedb.core.ManageDbException;
import io.managedb.files.FileStamp;
import io.managedb.pg.PgTools;

import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * An archive checked once before a restore, so that the restore reads it again only to restore it. A plain file is
 * read once here (SHA-256, every statement vetted, pg_dump's trailer) and vetted again as it streams. A custom or
 * directory archive: its size and SHA-256 against the manifest, from here on. Every data block must be readable
 * too: when something is to happen before the restore that an unreadable archive should not cause (a safety
 * backup), the local pg_restore reads them all ({@code -f /dev/null}) in the background, and {@link #awaitReadable}
 * waits for that read and fails as it did (exit 7); otherwise the restore's own pg_restore is that read, and only
 * when it fails does {@link #afterFailure} read the archive to tell an unreadable one (exit 7) from another
 * failure. The
 * size and SHA-256 are checked in the background, while the restore takes its lock and creates its scratch database;
 * {@link #awaitChecksum} waits for that check before anything an unchecked archive must not cause. Right before
 * pg_restore gets the first byte, {@link #requireUnchanged} hashes the file again only when its {@link FileStamp}
 * changed since it was hashed. When asked, the archive's table of contents is listed in the background too
 * ({@link #tableDataIds}: a restore with more than one job, or with progress, needs its TABLE DATA entries), so that
 * pg_restore starts as soon as the checksum is in.
 */
public final class ArchiveCheck implements AutoCloseable {
    private final Archive archive;
    /** The size and SHA-256 check: the file's stamp when it was provably the file hashed, else null. */
    private final FutureTask<FileStamp> checksum;
    private final PlainFile.Checked plain;
    private final FutureTask<Void> readable;
    private final PgTools deferred;
    private final FutureTask<Set<Integer>> tableData;

    private ArchiveCheck(Archive archive, FutureTask<FileStamp> checksum, PlainFile.Checked plain,
                         FutureTask<Void> readable, PgTools deferred, FutureTask<Set<Integer>> tableData) {
        this.archive = archive;
        this.checksum = checksum;
        this.plain = plain;
        this.readable = readable;
        this.deferred = deferred;
        this.tableData = tableData;
    }

    /** Nothing checked yet: the restore checks everything itself, as it reads (the checksum first). */
    public static ArchiveCheck none(Archive archive) {
        return new ArchiveCheck(archive, null, null, null, null, null);
    }

    /**
     * Checks the archive: a plain file in full, now; a custom or directory archive's size and SHA-256 (exit 7 on a
     * mismatch) in the background, for {@link #awaitChecksum}.
     *
     * @param readAhead read every data block now, in the background (close the check to stop it), rather than
     *                  through the restore itself: when something is done before the restore (a safety backup)
     * @param listTableData list the TABLE DATA entries now, in the background, for {@link #tableDataIds}
     */
    public static ArchiveCheck start(Archive archive, PgTools tools, boolean readAhead, boolean listTableData) {
        if (archive.format() == BackupFormat.PLAIN) {
            return new ArchiveCheck(archive, null, PlainFile.check(archive), null, null, null);
        }
        // pg_restore --list reads the table of contents only, as the background read of every block does
        FutureTask<Set<Integer>> tableData = !listTableData || archive.pgRestorePath() == null ? null
                : new FutureTask<>(() -> archive.tableDataIds(tools));
        FutureTask<Void> readable = !readAhead ? null : new FutureTask<>(() -> {
            archive.checkReadable(tools);
            return null;
        });
        FutureTask<FileStamp> checksum = new FutureTask<>(() -> {
            FileStamp before = stamp(archive);
            archive.checkChecksum();
            FileStamp after = stamp(archive);
            return before != null && before.equals(after) ? after : null;
        });
        start(readable, "manage-db-archive-check");
        start(checksum, "manage-db-checksum");
        start(tableData, "manage-db-archive-list");
        return new ArchiveCheck(archive, checksum, null, readable, readAhead ? null : tools, tableData);
    }

    private static void start(FutureTask<?> task, String name) {
        if (task != null) {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            t.start();
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

    /** Waits for the size and SHA-256 check {@link #start} began; rethrows its failure (exit 7). */
    public void awaitChecksum() {
        await(checksum);
    }

    /**
     * Size and SHA-256 again, unless the file is provably the one hashed by {@link #start}, or the archive is a
     * stored object that was hashed and is from now on read only as that version ({@link Archive#pinned}:
     * {@code If-Match}).
     */
    void requireUnchanged() {
        FileStamp hashed = await(checksum);
        if (archive.pinned()) {
            return; // hashed by the check above, or before it (verify), and read only as that version from now on
        }
        if (hashed == null || !hashed.equals(stamp(archive))) {
            archive.checkChecksum();
        }
    }

    /** The dump ids of the archive's TABLE DATA entries ({@link Archive#tableDataIds}), as listed by {@link #start}. */
    Set<Integer> tableDataIds(PgTools tools) {
        return tableData != null ? await(tableData) : archive.tableDataIds(tools);
    }

    /** Waits for the background read of every data block; rethrows its failure (exit 7). */
    public void awaitReadable() {
        await(readable);
    }

    private <T> T await(FutureTask<T> task) {
        if (task == null) {
            return null;
        }
        try {
            return task.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r
                    : ManageDbException.failed("checking " + archive.address() + " failed: " + e.getCause(), e.getCause());
        } catch (CancellationException e) {
            throw new ManageDbException(ExitCode.INTERRUPTED, "the check of " + archive.address() + " was stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.cancel(true);
            throw new ManageDbException(ExitCode.INTERRUPTED, "interrupted while " + archive.address() + " was checked");
        }
    }

    /**
     * After a failed restore (or another refusal): an archive that does not match its manifest, or an unreadable one,
     * is the failure to report (exit 7), whether
     * the background read found it or, when the restore itself was the read, a read now does.
     */
    public void afterFailure() {
        awaitChecksum();
        if (readable != null) {
            awaitReadable();
        } else if (deferred != null) {
            archive.checkReadable(deferred);
        }
    }

    /** Stops the background checks if they still run (the read's pg_restore is killed). */
    @Override
    public void close() {
        for (FutureTask<?> task : new FutureTask<?>[] {checksum, readable, tableData}) {
            if (task != null) {
                task.cancel(true);
            }
        }
    }
}
