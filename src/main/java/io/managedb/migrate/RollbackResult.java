package io.managedb.migrate;

import java.util.List;

/** What {@code migrate rollback} undid (or with dryRun would undo), newest first. */
public record RollbackResult(String environment, String database, boolean dryRun, List<ApplyResult.Script> undone,
                             String currentVersion, String backup) {
}
