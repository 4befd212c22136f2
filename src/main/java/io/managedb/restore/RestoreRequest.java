package io.managedb.restore;

import io.managedb.config.Environment;

import io.managedb.backup.StoredBackup;

import java.time.Duration;

/**
 * What to restore.
 *
 * @param archive       the backup to restore, or null for the newest good backup of {@code from}
 * @param from          whose newest backup {@code latest} means (the target environment itself by default)
 * @param jobs          parallel pg_restore jobs (custom and directory archives)
 * @param safetyBackup  back up the target first (label pre-restore)
 * @param keepOwnership restore owners and privileges as they were (default: --no-owner --no-acl semantics)
 * @param schemaOnly    the archive is a schema-only backup and the target's data is to go (required for one)
 */
public record RestoreRequest(StoredBackup archive, Environment from, int jobs, boolean safetyBackup, boolean keepOwnership,
                             Duration lockWait, boolean schemaOnly) {
}
