package io.managedb.maintenance;

/**
 * What {@code reset} did.
 *
 * @param mode "recreated" (dropped and recreated) or "emptied" (no CREATEDB privilege: schemas' contents dropped)
 */
public record ResetResult(String environment, String database, String safetyBackup, int sessionsTerminated,
                          String mode, InitResult init) {
}
