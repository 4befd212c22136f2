package io.managedb.migrate;

import java.time.Duration;

/**
 * How to apply migrations.
 *
 * @param target            stop at this version (null: the newest)
 * @param backup            ALWAYS (--backup), NEVER (--no-backup) or AUTO (only on protected environments)
 * @param includeSql        put each script's SQL into the result (dry run with -v)
 * @param baselineOnMigrate adopt a non-empty database without a history table by recording a baseline first
 * @param baselineVersion   the version that baseline records (null: 1)
 */
public record ApplyOptions(String target, BackupMode backup, boolean dryRun, boolean includeSql, Duration lockWait,
                           boolean baselineOnMigrate, String baselineVersion) {

    /** When to take a pre-migrate backup. */
    public enum BackupMode { AUTO, ALWAYS, NEVER }

    public ApplyOptions(String target, BackupMode backup, boolean dryRun, boolean includeSql, Duration lockWait) {
        this(target, backup, dryRun, includeSql, lockWait, false, null);
    }

    public static ApplyOptions defaults() {
        return new ApplyOptions(null, BackupMode.AUTO, false, false, Duration.ZERO);
    }
}
