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
 * @param sizeBytes  size of the file as stored (for an encrypted backup: the ciphertext's)
 * @param sha256     SHA-256 of the file as stored (the ciphertext's when encrypted: verify checks it without the key)
 * @param encryption how the file is encrypted, or null when it is not
 * @param plaintextSha256 SHA-256 of pg_dump's output before encryption (null when not encrypted)
 */
public record Manifest(int manifestVersion, String file, String environment, String database, String serverVersion,
                       String pgDumpVersion, String format, String scope, long sizeBytes, String sha256,
                       Instant startedAt, Instant finishedAt, double durationSeconds, String schemaVersion,
                       String toolVersion, String label, boolean safety, Map<String, Long> rowCounts,
                       Encryption encryption, String plaintextSha256) {

    public static final int VERSION = 1;

    /**
     * An encrypted backup: {@code format} is {@code age}; {@code recipients} are fingerprints of the public keys
     * ({@code sha256:} and 16 hex digits), never the keys.
     */
    public record Encryption(String format, java.util.List<String> recipients) {
    }

    public boolean encrypted() {
        return encryption != null;
    }

    public BackupFormat backupFormat() {
        return BackupFormat.valueOf(format.toUpperCase(java.util.Locale.ROOT));
    }
}
