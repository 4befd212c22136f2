package io.managedb.backup;

/** A complete backup: where it is, its size and checksum, how long it took, and its manifest. */
public record BackupResult(String path, long sizeBytes, String sha256, double durationSeconds, String environment,
                           String database, String format, String label, Manifest manifest) {
}
