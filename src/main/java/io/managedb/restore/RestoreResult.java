package io.managedb.restore;

/**
 * A completed restore.
 *
 * @param safetyBackup       the pre-restore backup of the target, or null
 * @param tablesVerified     tables whose row counts were checked against the manifest, or null when it had none
 * @param sessionsTerminated sessions of the old database that were disconnected by the swap
 */
public record RestoreResult(String archive, String environment, String database, String safetyBackup,
                            Integer tablesVerified, int sessionsTerminated, double durationSeconds) {
}
