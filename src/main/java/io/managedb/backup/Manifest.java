package io.managedb.backup;

import java.time.Instant;
import java.util.Map;

/**
 * What is known of a complete backup, written beside it as {@code <backup>.json} once the backup is under its final
 * name. A backup without a manifest is never treated as good.
 *
 * @param scope     full, schema-only or data-only
 * @param safety    taken automatically before a destructive operation (labels pre-restore, pre-migrate, ...)
 * @param rowCounts rows per table at backup time, in the dump's snapshot (null for schema-only backups)
 */
public record Manifest(int manifestVersion, String file, String environment, String database, String serverVersion,
                       String pgDumpVersion, String format, String scope, long sizeBytes, String sha256,
                       Instant startedAt, Instant finishedAt, double durationSeconds, String schemaVersion,
                       String toolVersion, String label, boolean safety, Map<String, Long> rowCounts) {

    public static final int VERSION = 1;

    public BackupFormat backupFormat() {
        return BackupFormat.valueOf(format.toUpperCase(java.util.Locale.ROOT));
    }
}
