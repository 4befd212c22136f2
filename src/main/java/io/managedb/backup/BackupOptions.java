package io.managedb.backup;

import io.managedb.pg.DumpScope;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What to back up and how.
 *
 * @param output   an explicit file (or directory) path, or null for a generated name in the backup directory
 * @param jobs     parallel pg_dump jobs (directory format only)
 * @param compress compression level 0-9, or null for pg_dump's default (gzip 6 for plain)
 * @param label    a short label added to the file name, or null
 * @param safety   an automatic backup taken before a destructive operation (kept by prune unless asked)
 * @param lockWait how long to wait for another manage-db holding the database's lock
 */
public record BackupOptions(Path output, BackupFormat format, int jobs, DumpScope scope, String label, Integer compress,
                            boolean safety, Duration lockWait) {


    /** The defaults: custom format, full, no label. */
    public static BackupOptions defaults() {
        return new BackupOptions(null, BackupFormat.CUSTOM, 1, DumpScope.FULL, null, null, false, Duration.ZERO);
    }

    /** A safety backup taken before a destructive operation, labelled e.g. {@code pre-restore}. */
    public static BackupOptions safety(String label) {
        return new BackupOptions(null, BackupFormat.CUSTOM, 1, DumpScope.FULL, label, null, true, Duration.ZERO);
    }
}
